package io.lifeboat.core.repo;

import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.json.Json;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Replaces the master key in a key file without re-encrypting anything: a new key gets its own slot
 * (the same data keys, wrapped under it) at every location, the file is switched to it atomically,
 * then the old key's slot is retired everywhere. Crash-safe: at every moment the key in the file
 * opens every location, and running it again finishes an interrupted rotation (the journal {@code
 * keys-rotation} on the primary says how far it got; {@code <key file>.new} holds the new key until
 * the switch).
 */
public final class KeyRotation {

  /** The journal: the slot being retired and the one replacing it (ids, no secret). */
  public record Journal(String from, String to, Instant startedAt) {}

  /** Called before each step that changes something (tests stop the process there). */
  @FunctionalInterface
  public interface Steps {
    void at(String step);
  }

  /**
   * What a rotation did.
   *
   * @param from the retired slot
   * @param to the new key's slot
   * @param resumed whether it finished an earlier, interrupted rotation
   */
  public record Result(String from, String to, boolean resumed) {}

  private KeyRotation() {}

  /** The file the new key waits in until the switch. */
  public static Path pending(Path keyFile) {
    return keyFile.resolveSibling(keyFile.getFileName() + ".new");
  }

  /**
   * Rotates the key in {@code keyFile}, or finishes an interrupted rotation.
   *
   * @param locations the primary first, then every replica: all must be reachable
   * @throws IllegalStateException when a location does not open with the key in the file
   */
  public static Result rotate(List<Backend> locations, Path keyFile, Steps steps)
      throws IOException, RepositoryNotFoundException, WrongKeyException {
    Backend primary = locations.get(0);
    MasterKey current = MasterKey.fromFile(keyFile);
    String repositoryId = Repository.readConfig(primary).id();
    Journal journal = journal(primary);
    if (journal != null && journal.to().equals(KeySlots.slotId(current, repositoryId))) {
      // the file holds the new key already: only the old slot is left to retire
      finish(locations, journal, steps);
      return new Result(journal.from(), journal.to(), true);
    }
    List<Repository> opened = new ArrayList<>();
    for (Backend b : locations) {
      opened.add(Repository.open(b, current));
    }
    String from = opened.get(0).slotId();
    for (Repository r : opened) {
      if (!r.slotId().equals(from)) {
        throw new IllegalStateException(
            "the key opens "
                + r.backend().location()
                + " through slot "
                + r.slotId()
                + " but the primary through "
                + from
                + ": run lifeboat replicate --repair first");
      }
    }
    MasterKey next = pendingKey(keyFile, journal, repositoryId, steps);
    String to = KeySlots.slotId(next, repositoryId);
    if (to.equals(from)) {
      throw new IllegalStateException("the new key is the current one");
    }
    boolean resumed = journal != null && journal.to().equals(to);
    if (journal != null && !resumed) {
      // an earlier rotation lost its new key before the switch: nobody may open with it
      for (Backend b : locations) {
        KeySlots.retire(b, journal.to(), "abandoned rotation");
      }
    }
    if (!resumed) {
      steps.at("journal");
      writeJournal(primary, new Journal(from, to, Instant.now()));
    }
    RepositoryConfig config = opened.get(0).config();
    for (int i = 0; i < locations.size(); i++) {
      steps.at("slot " + i);
      KeySlots.add(locations.get(i), config, opened.get(0).keys(), next, "service");
    }
    steps.at("switch");
    switchKeyFile(pending(keyFile), keyFile);
    Journal done = new Journal(from, to, Instant.now());
    finish(locations, done, steps);
    return new Result(from, to, resumed);
  }

  /**
   * The new key: the one waiting in {@code <key file>.new} when it is whole and belongs to this
   * rotation, else a fresh one written there first (owner-only, synced).
   */
  private static MasterKey pendingKey(
      Path keyFile, @Nullable Journal journal, String repositoryId, Steps steps)
      throws IOException {
    Path pending = pending(keyFile);
    if (Files.exists(pending)) {
      try {
        MasterKey waiting = MasterKey.fromFile(pending);
        if (journal == null || journal.to().equals(KeySlots.slotId(waiting, repositoryId))) {
          return waiting;
        }
      } catch (IOException | IllegalArgumentException e) {
        // cut short by a crash before anything used it
      }
      Files.delete(pending);
    }
    steps.at("new key");
    MasterKey fresh = MasterKey.generate();
    fresh.writeTo(pending);
    syncDirectory(pending.toAbsolutePath().getParent());
    return fresh;
  }

  /** Retires the journal's old slot at every location, then removes the journal. */
  private static void finish(List<Backend> locations, Journal journal, Steps steps) {
    for (int i = 0; i < locations.size(); i++) {
      steps.at("retire " + i);
      KeySlots.retire(locations.get(i), journal.from(), "rotated to " + journal.to());
    }
    steps.at("journal removed");
    locations.get(0).delete(RepositoryLayout.KEY_ROTATION);
  }

  public static @Nullable Journal journal(Backend primary) {
    try {
      return Json.MAPPER.readValue(primary.get(RepositoryLayout.KEY_ROTATION), Journal.class);
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }

  private static void writeJournal(Backend primary, Journal journal) {
    primary.delete(RepositoryLayout.KEY_ROTATION); // an abandoned rotation's (its key was lost)
    primary.putIfAbsent(RepositoryLayout.KEY_ROTATION, Json.MAPPER.writeValueAsBytes(journal));
  }

  /** Moves the new key over the old one in one step: the file always holds a whole key. */
  private static void switchKeyFile(Path pending, Path keyFile) throws IOException {
    Files.move(
        pending, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(keyFile.toAbsolutePath().getParent());
  }

  private static void syncDirectory(@Nullable Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot sync a folder; the move itself is atomic
    }
  }
}
