package io.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event schema must read every released version of itself (BACKWARD compatibility), and the
 * newest released version must be the current schema, so that the schema store can decode
 * everything ever written.
 *
 * <p>To change a schema: change the .avsc, run this test, and copy the candidate it writes under
 * {@code target/schema-history-candidates/} into {@code
 * src/main/resources/io/lifeboat/events/history/}.
 */
class SchemaCompatibilityTest {

  static Stream<Class<?>> eventTypes() {
    List<Class<?>> types = new ArrayList<>();
    Topics.all().forEach(t -> types.add(t.valueType()));
    types.add(CatalogEntry.class);
    return types.stream();
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  void currentSchema_isTheNewestReleasedVersion(Class<?> type) throws IOException {
    Schema current = SpecificData.get().getSchema(type);
    List<Schema> history = SchemaHistory.versions(type);
    if (history.isEmpty() || !history.get(history.size() - 1).equals(current)) {
      Path candidate = writeCandidate(type, current, history.size() + 1);
      throw new AssertionError(
          type.getSimpleName()
              + " changed (or is new): after checking compatibility, release it by copying "
              + candidate
              + " into schemas/src/main/resources/"
              + SchemaHistory.ROOT);
    }
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  void currentSchema_readsEveryReleasedVersion(Class<?> type) {
    Schema current = SpecificData.get().getSchema(type);
    List<Schema> history = SchemaHistory.versions(type);
    for (int i = 0; i < history.size(); i++) {
      var result = SchemaCompatibility.checkReaderWriterCompatibility(current, history.get(i));
      assertThat(result.getType())
          .as(
              "%s cannot read version %d: %s",
              type.getSimpleName(), i + 1, result.getResult().getIncompatibilities())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  private static Path writeCandidate(Class<?> type, Schema schema, int version) throws IOException {
    Path dir = Path.of("target", "schema-history-candidates");
    Files.createDirectories(dir);
    Path file = dir.resolve(type.getSimpleName() + ".v" + version + ".avsc");
    Files.writeString(file, schema.toString(true) + "\n");
    return file.toAbsolutePath();
  }
}
