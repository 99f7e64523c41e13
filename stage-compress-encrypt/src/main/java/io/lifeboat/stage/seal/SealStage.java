package io.lifeboat.stage.seal;

import io.lifeboat.core.crypto.AuthenticationException;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.crypto.TransportSeal;
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
  private final Supplier<TransportSeal> transport;

  /**
   * @param transport opens chunks as the dump stage sent them (encrypted for the trip)
   */
  public SealStage(Supplier<Repository> repository, Supplier<TransportSeal> transport) {
    this.repository = repository;
    this.transport = transport;
  }

  /**
   * @throws InvalidEventException when the id is malformed or does not match the payload
   */
  public ChunkSealed seal(ChunkRaw raw) {
    Repository repo = repository.get();
    ChunkId id;
    try {
      id = ChunkId.parse(raw.getChunkId());
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException(
          "chunk of backup " + raw.getBackupId() + ": " + e.getMessage(), e);
    }
    ByteBuffer payload = raw.getPayload();
    byte[] travelled;
    int travelledOff;
    if (payload.hasArray()) {
      travelled = payload.array();
      travelledOff = payload.arrayOffset() + payload.position();
    } else {
      travelled = new byte[payload.remaining()];
      payload.duplicate().get(travelled);
      travelledOff = 0;
    }
    byte[] plain;
    try {
      plain =
          transport
              .get()
              .open(
                  raw.getBackupId(),
                  raw.getChunkId(),
                  travelled,
                  travelledOff,
                  payload.remaining());
    } catch (AuthenticationException e) {
      throw new InvalidEventException(
          "chunk "
              + id
              + " of backup "
              + raw.getBackupId()
              + ": its payload does not open with this stage's transport key (altered, moved, or sent under another master key)",
          e);
    }
    int off = 0;
    int len = plain.length;
    if (!repo.chunkId(plain, off, len).equals(id)) {
      throw new InvalidEventException(
          "chunk "
              + id
              + " of backup "
              + raw.getBackupId()
              + ": payload does not match its id (written with another repository key?)",
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
