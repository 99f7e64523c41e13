package io.lifeboat.stage.verify;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.StorageException;
import java.time.Instant;

/**
 * Moves a chunk that fails authentication out of the way: its bytes are kept under {@code
 * quarantine/} for inspection and the chunk object is deleted, so that the next backup of the same
 * data finds the chunk absent and stores it again, which heals every older backup that uses it
 * (chunks are content-addressed).
 */
final class Quarantine {

  private Quarantine() {}

  /**
   * @return where the damaged bytes were kept, or a sentence saying why they could not be
   */
  static String move(Backend backend, ChunkId id) {
    String name = RepositoryLayout.chunk(id);
    String aside = RepositoryLayout.QUARANTINE + id.hex() + "." + Instant.now().toEpochMilli();
    try {
      backend.putIfAbsent(aside, backend.get(name));
    } catch (StorageException e) {
      aside = "(its bytes could not be kept: " + e.getMessage() + ")";
    }
    try {
      backend.delete(name);
    } catch (StorageException e) {
      return aside + "; deleting it failed, so later backups cannot replace it: " + e.getMessage();
    }
    return aside;
  }
}
