package io.lifeboat.core.prune;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Keeps prune and backups apart, in the storage itself (every stage and the command line see the
 * same objects, whatever process they run in). A backup holds {@code locks/backup.<id>} from before
 * it lists the chunks it may deduplicate against until its manifest is committed or it failed;
 * prune holds {@code locks/prune.<owner>.<n>} while it decides and deletes. Each side writes its
 * own lock first and then looks for the other's: with read-after-write storage at least one of two
 * racing parties sees the other. A backup that sees a prune lock withdraws its own and waits; prune
 * waits for the backups it sees to finish. Prune refreshes its lock (a new object, then the old one
 * deleted: never a moment without one), so that a killed prune stops blocking backups once its lock
 * is {@link #PRUNE_STALE} old.
 */
public final class RepositoryLocks {

  public static final String PREFIX = "locks/";

  /** A prune lock not refreshed for this long belongs to a prune that died. */
  public static final Duration PRUNE_STALE = Duration.ofMinutes(2);

  /** How often a running prune refreshes its lock. */
  public static final Duration PRUNE_REFRESH = Duration.ofSeconds(30);

  private final Backend backend;
  private final Supplier<Instant> clock;

  public RepositoryLocks(Backend backend) {
    this(backend, Instant::now);
  }

  RepositoryLocks(Backend backend, Supplier<Instant> clock) {
    this.backend = backend;
    this.clock = clock;
  }

  /** A lock someone holds. @param name object name */
  public record Held(String name, Instant at) {
    public Duration age(Instant now) {
      return Duration.between(at, now);
    }
  }

  // ---- backups

  static String backupLock(String backupId) {
    return PREFIX + "backup." + backupId;
  }

  /** Takes the backup's lock (again, if a redelivered request already holds it). */
  public void lockBackup(String backupId) {
    String name = backupLock(backupId);
    backend.delete(name);
    backend.putIfAbsent(name, stamp());
  }

  /**
   * Releases the backup's lock. Never throws: a lock that cannot be deleted now (storage down) only
   * delays prunes until it is stale.
   *
   * @return whether the lock is gone
   */
  public boolean unlockBackup(String backupId) {
    try {
      backend.delete(backupLock(backupId));
      return true;
    } catch (StorageException e) {
      return false;
    }
  }

  /** A prune that is running now (its newest lock is fresh), if any. */
  public Optional<Held> runningPrune() {
    Instant now = clock.get();
    return held("prune.").stream()
        .filter(h -> h.age(now).compareTo(PRUNE_STALE) < 0)
        .max(java.util.Comparator.comparing(Held::at));
  }

  /**
   * Takes the backup's lock once no prune runs: while one does, withdraws and waits.
   *
   * @param maxWait how long to wait for a prune to finish
   * @throws StorageException (permanent) when a prune still runs after {@code maxWait}
   */
  public void lockBackupWhenNoPrune(String backupId, Duration maxWait) throws InterruptedException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      lockBackup(backupId);
      Optional<Held> prune = runningPrune();
      if (prune.isEmpty()) {
        return;
      }
      unlockBackup(backupId);
      if (System.nanoTime() > deadline) {
        throw StorageException.permanent(
            "a prune has held the repository for longer than "
                + maxWait.toMinutes()
                + " min ("
                + prune.get().name()
                + "); the backup was not started",
            null);
      }
      Thread.sleep(2000);
    }
  }

  /** Backups running now, and how long they have. */
  public List<Held> runningBackups() {
    return held("backup.");
  }

  // ---- prune

  /** A prune's hold on the repository; refresh it at least every {@link #PRUNE_REFRESH}. */
  public final class PruneLock implements AutoCloseable {
    private final String owner = UUID.randomUUID().toString().substring(0, 8);
    private int seq;
    private String current;

    private PruneLock() {
      current = name();
      backend.putIfAbsent(current, stamp());
    }

    private String name() {
      return PREFIX + "prune." + owner + "." + seq;
    }

    /** Writes a new lock object, then deletes the previous one. */
    public void refresh() {
      seq++;
      String next = name();
      backend.putIfAbsent(next, stamp());
      backend.delete(current);
      current = next;
    }

    @Override
    public void close() {
      backend.delete(current);
    }
  }

  /**
   * Takes the prune lock.
   *
   * @throws StorageException (permanent) when another prune runs
   */
  public PruneLock lockPrune() {
    Optional<Held> other = runningPrune();
    if (other.isPresent()) {
      throw StorageException.permanent(
          "another prune is running (" + other.get().name() + "); try again when it is done", null);
    }
    return new PruneLock();
  }

  private List<Held> held(String kind) {
    List<Held> out = new ArrayList<>();
    backend.list(
        PREFIX + kind,
        o -> {
          try {
            String text = new String(backend.get(o.name()), StandardCharsets.UTF_8).strip();
            out.add(new Held(o.name(), Instant.ofEpochMilli(Long.parseLong(text))));
          } catch (StorageException | NumberFormatException e) {
            // gone meanwhile, or not ours: not a lock that holds anything
          }
        });
    return out;
  }

  private byte[] stamp() {
    return Long.toString(clock.get().toEpochMilli()).getBytes(StandardCharsets.UTF_8);
  }
}
