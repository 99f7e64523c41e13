package io.lifeboat.recovery.executor;

import io.lifeboat.core.provider.Aside;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the restore steps of this executor did to their targets, on its disk, by execution and step.
 * It is the executor's own memory, and the only thing a compensation trusts: a compensation undoes
 * a restore this journal records, at the target it records, with the original it records, whatever
 * the command asks. It also lets a step redelivered after the executor died start again from the
 * original instead of mistaking its own partial restore for it.
 */
final class StepJournal {

  /**
   * @param state {@link #WRITING}: the target is being written (the original, if any, is at {@code
   *     aside}); {@link #RESTORED}: the restore finished; {@link #COMPENSATED}: it was undone
   * @param kind the provider kind of the component
   * @param target the target spec written to
   * @param aside where the original was moved, or null when the target was empty
   * @param scratch whether the target is a scratch target this executor made (removed on undo)
   */
  record Entry(String state, String kind, String target, @Nullable Aside aside, boolean scratch) {
    Entry with(String newState) {
      return new Entry(newState, kind, target, aside, scratch);
    }
  }

  static final String WRITING = "writing";
  static final String RESTORED = "restored";
  static final String COMPENSATED = "compensated";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path dir;

  StepJournal(Path dir) {
    this.dir = dir;
  }

  Optional<Entry> read(String executionId, String stepId) {
    Path f = file(executionId, stepId);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(Files.readString(f), Entry.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the step journal " + f, e);
    }
  }

  /** Written whole and synced before the step goes on; readable by the executor's user only. */
  void write(String executionId, String stepId, Entry entry) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".entry", ".tmp");
      Files.writeString(tmp, JSON.writeValueAsString(entry), StandardOpenOption.SYNC);
      Files.move(
          tmp,
          file(executionId, stepId),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the step journal in " + dir, e);
    }
  }

  void forget(String executionId, String stepId) {
    try {
      Files.deleteIfExists(file(executionId, stepId));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot clear the step journal entry of " + executionId + " " + stepId, e);
    }
  }

  private Path file(String executionId, String stepId) {
    return dir.resolve((executionId + "__" + stepId).replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
  }
}
