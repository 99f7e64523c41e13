package io.lifeboat.recovery.executor;

import io.lifeboat.core.provider.Aside;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a step that changes a target has done so far, on the executor's disk, by command id: so
 * that a step redelivered after the executor died knows where the original went and can start
 * again from it, instead of mistaking its own partial restore for the original. An entry lives
 * until the step's result is safely sent.
 */
final class StepJournal {

  /**
   * @param state {@link #WRITING}: the target is being written (the original, if any, is at
   *     {@code aside}); {@link #COMPENSATED}: the compensation finished
   * @param aside where the original was moved, or null when the target was empty
   */
  record Entry(String state, @Nullable Aside aside) {}

  static final String WRITING = "writing";
  static final String COMPENSATED = "compensated";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path dir;

  StepJournal(Path dir) {
    this.dir = dir;
  }

  Optional<Entry> read(String commandId) {
    Path f = file(commandId);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(Files.readString(f), Entry.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the step journal " + f, e);
    }
  }

  /** Written whole and synced before the step goes on. */
  void write(String commandId, Entry entry) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".entry", ".tmp");
      Files.writeString(tmp, JSON.writeValueAsString(entry), java.nio.file.StandardOpenOption.SYNC);
      Files.move(tmp, file(commandId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the step journal in " + dir, e);
    }
  }

  void forget(String commandId) {
    try {
      Files.deleteIfExists(file(commandId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the step journal entry of " + commandId, e);
    }
  }

  private Path file(String commandId) {
    return dir.resolve(commandId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
  }
}
