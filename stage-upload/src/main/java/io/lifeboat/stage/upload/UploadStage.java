package io.lifeboat.stage.upload;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.events.ChunkSealed;
import io.lifeboat.events.ChunkStored;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.InvalidEventException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes a sealed chunk to storage under its content address, only if absent: retries and
 * duplicates (the same chunk from two backups) cost nothing and never change a stored object.
 * Holds no key and sees no plaintext.
 */
public final class UploadStage {

  private final Backend backend;

  public UploadStage(Backend backend) {
    this.backend = backend;
  }

  /** @throws io.lifeboat.core.storage.StorageException when storage fails */
  public ChunkStored store(ChunkSealed sealed) {
    String name;
    try {
      name = RepositoryLayout.chunk(ChunkId.parse(sealed.getChunkId()));
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException("sealed chunk of backup " + sealed.getBackupId() + ": " + e.getMessage(), e);
    }
    byte[] bytes = toArray(sealed.getSealed());
    boolean written = backend.putIfAbsent(name, bytes);
    return ChunkStored.newBuilder()
        .setEnvelope(Envelopes.next(sealed.getBackupId()))
        .setBackupId(sealed.getBackupId())
        .setComponent(sealed.getComponent())
        .setChunkId(sealed.getChunkId())
        .setPlainSize(sealed.getPlainSize())
        .setStoredSize(bytes.length)
        .setWritten(written)
        .setLocations(List.of(backend.location()))
        .build();
  }

  private static byte[] toArray(ByteBuffer buffer) {
    if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
        && buffer.remaining() == buffer.array().length) {
      return buffer.array();
    }
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
