package io.lifeboat.stage.seal;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.events.ChunkRaw;
import io.lifeboat.events.ChunkSealed;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.InvalidEventException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Compresses (zstd) and encrypts (AES-256-GCM) a raw chunk into the exact bytes of its chunk
 * object. First checks the payload against its id: a chunk stored under a wrong id would poison
 * every later backup that deduplicates against it.
 */
public final class SealStage {

  private final Supplier<Repository> repository;

  public SealStage(Supplier<Repository> repository) {
    this.repository = repository;
  }

  /** @throws InvalidEventException when the id is malformed or does not match the payload */
  public ChunkSealed seal(ChunkRaw raw) {
    Repository repo = repository.get();
    ChunkId id;
    try {
      id = ChunkId.parse(raw.getChunkId());
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException("chunk of backup " + raw.getBackupId() + ": " + e.getMessage(), e);
    }
    ByteBuffer payload = raw.getPayload();
    byte[] plain;
    int off;
    int len = payload.remaining();
    if (payload.hasArray()) {
      plain = payload.array();
      off = payload.arrayOffset() + payload.position();
    } else {
      plain = new byte[len];
      payload.duplicate().get(plain);
      off = 0;
    }
    if (!repo.chunkId(plain, off, len).equals(id)) {
      throw new InvalidEventException(
          "chunk " + id + " of backup " + raw.getBackupId() + ": payload does not match its id (written with another repository key?)",
          null);
    }
    byte[] sealed = repo.sealChunk(id, plain, off, len, raw.getCompressionLevel());
    return ChunkSealed.newBuilder()
        .setEnvelope(Envelopes.next(raw.getBackupId()))
        .setBackupId(raw.getBackupId())
        .setComponent(raw.getComponent())
        .setChunkId(raw.getChunkId())
        .setPlainSize(len)
        .setSealed(ByteBuffer.wrap(sealed))
        .build();
  }
}
