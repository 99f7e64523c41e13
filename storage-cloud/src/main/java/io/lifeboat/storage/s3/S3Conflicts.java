package io.lifeboat.storage.s3;

import io.lifeboat.core.storage.StorageException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * How a write is settled when the server refuses it for a key that is taken or being taken: 412
 * Precondition Failed means the key exists; 409 {@code ConditionalRequestConflict} means another
 * write of the key is in flight, so look again — already there once the other writer finished, else
 * try again, a few times, 50 ms apart and doubling. Shared by single PUTs and by completing a
 * multipart upload, which a server answers alike.
 */
final class S3Conflicts {

  private static final int RETRIES = 4;

  private final S3Heads heads;

  S3Conflicts(S3Heads heads) {
    this.heads = heads;
  }

  /**
   * Sends {@code write} until it succeeds (true) or the key turns out to exist (false). Any other
   * failure is thrown for the caller to classify.
   */
  boolean write(String key, Runnable write) {
    for (int attempt = 0; ; attempt++) {
      try {
        write.run();
        return true;
      } catch (S3Exception e) {
        if (e.statusCode() == 412) {
          return false;
        }
        if (e.statusCode() != 409
            || !"ConditionalRequestConflict".equals(S3Errors.code(e))
            || attempt >= RETRIES) {
          throw e;
        }
        if (heads.size(key).isPresent()) {
          return false;
        }
        sleep(50L << attempt);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StorageException.transientFault("interrupted", e);
    }
  }
}
