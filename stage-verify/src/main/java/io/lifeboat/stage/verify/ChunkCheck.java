package io.lifeboat.stage.verify;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.StorageException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Waits for one chunk object to reach storage, then checks it: a chunk this backup sent is read
 * back and fully authenticated; one it reused from earlier backups must exist.
 */
final class ChunkCheck {

  /** Outcome for one chunk. @param storedSize bytes of the object (0 unless read) */
  record Result(ChunkId id, boolean isNew, Status status, long storedSize, String detail) {}

  enum Status {
    OK,
    MISSING,
    DAMAGED
  }

  private final Repository repository;
  private final Duration noProgressTimeout;
  private final AtomicLong lastProgressNanos;
  private final java.util.function.Supplier<java.util.Optional<String>> writeFailure;

  /**
   * @param writeFailure why the upload stage could not store chunks of this backup, if it could not
   */
  ChunkCheck(
      Repository repository,
      Duration noProgressTimeout,
      AtomicLong lastProgressNanos,
      java.util.function.Supplier<java.util.Optional<String>> writeFailure) {
    this.repository = repository;
    this.noProgressTimeout = noProgressTimeout;
    this.lastProgressNanos = lastProgressNanos;
    this.writeFailure = writeFailure;
  }

  Result check(ChunkId id, boolean isNew) {
    String name = RepositoryLayout.chunk(id);
    long sleepMs = 10;
    while (true) {
      OptionalLong size;
      try {
        size = repository.backend().size(name);
      } catch (StorageException e) {
        if (e.isPermanent()) {
          return new Result(id, isNew, Status.MISSING, 0, "storage error: " + e.getMessage());
        }
        size = OptionalLong.empty();
      }
      if (size.isPresent()) {
        lastProgressNanos.set(System.nanoTime());
        if (!isNew) {
          return new Result(id, false, Status.OK, 0, "");
        }
        try {
          repository.loadChunk(id);
          return new Result(id, true, Status.OK, size.getAsLong(), "");
        } catch (DamagedObjectException e) {
          return new Result(
              id, true, Status.DAMAGED, size.getAsLong(), String.valueOf(e.getMessage()));
        } catch (StorageException e) {
          return new Result(id, true, Status.MISSING, 0, "unreadable: " + e.getMessage());
        }
      }
      java.util.Optional<String> failed = writeFailure.get();
      if (failed.isPresent()) {
        return new Result(id, isNew, Status.MISSING, 0, "upload failed: " + failed.get());
      }
      if (System.nanoTime() - lastProgressNanos.get() > noProgressTimeout.toNanos()) {
        return new Result(
            id,
            isNew,
            Status.MISSING,
            0,
            "not in storage after waiting "
                + noProgressTimeout.toSeconds()
                + " s without progress");
      }
      try {
        Thread.sleep(sleepMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result(id, isNew, Status.MISSING, 0, "interrupted while waiting");
      }
      sleepMs = Math.min(500, sleepMs * 2);
    }
  }
}
