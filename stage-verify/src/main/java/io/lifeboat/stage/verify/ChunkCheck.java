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
 * back and fully authenticated; one it reused from earlier backups is authenticated too unless it
 * was within the trust window ({@link VerifiedChunks}). A chunk that fails authentication is moved
 * to quarantine ({@link Quarantine}), so that the next backup stores it again.
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
  private final VerifiedChunks verified;

  /**
   * @param writeFailure why the upload stage could not store chunks of this backup, if it could not
   */
  ChunkCheck(
      Repository repository,
      Duration noProgressTimeout,
      AtomicLong lastProgressNanos,
      java.util.function.Supplier<java.util.Optional<String>> writeFailure,
      VerifiedChunks verified) {
    this.verified = verified;
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
        long counted = isNew ? size.getAsLong() : 0; // stored bytes of this backup
        if (!isNew
            && verified.isRecent(id)
            && verified.isRecent(id, repository.backend().version(name))) {
          return new Result(id, false, Status.OK, 0, "");
        }
        try {
          // the version before reading: a change after it makes the next check read again
          java.util.Optional<String> version = repository.backend().version(name);
          repository.loadChunk(id);
          verified.verified(id, version);
          return new Result(id, isNew, Status.OK, counted, "");
        } catch (DamagedObjectException e) {
          verified.forget(id);
          String aside = Quarantine.move(repository.backend(), id);
          return new Result(
              id, isNew, Status.DAMAGED, counted, e.getMessage() + "; moved to " + aside);
        } catch (StorageException e) {
          return new Result(id, isNew, Status.MISSING, 0, "unreadable: " + e.getMessage());
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
