package io.lifeboat.events;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of each event schema, read from the classpath at {@code
 * io/lifeboat/events/history/<Type>.v<N>.avsc} (self-contained schemas, N from 1 up).
 *
 * <p>The decoders register all of them, so a consumer can read a message written with any older
 * version: this is the schema store of the single-object encoding (there is no registry server).
 */
public final class SchemaHistory {

  static final String ROOT = "io/lifeboat/events/history/";

  private SchemaHistory() {}

  /** All versions of the type's schema, oldest first; empty when none is recorded. */
  public static List<Schema> versions(Class<?> type) {
    List<Schema> out = new ArrayList<>();
    ClassLoader loader = SchemaHistory.class.getClassLoader();
    for (int v = 1; ; v++) {
      String path = ROOT + type.getSimpleName() + ".v" + v + ".avsc";
      try (InputStream in = loader.getResourceAsStream(path)) {
        if (in == null) {
          return out;
        }
        out.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read schema history " + path, e);
      }
    }
  }
}
