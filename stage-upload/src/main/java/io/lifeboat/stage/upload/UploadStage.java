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
import java.util.Map;

/**
 * Writes a sealed chunk to storage under its content address, only if absent: retries and
 * duplicates (the same chunk from two backups) cost nothing and never change a stored object.
 * The primary location must take it (else the chunk is retried and dead-lettered); replicas are
 * written too, and one that fails (after its own retries) is left behind for the repairer: a
 * replica that is down must not stop backups. Holds no key and sees no plaintext.
 */
public final class UploadStage {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UploadStage.class);

  private final Backend backend;
  private final Map<String, Backend> replicas;
  private final Map<String, Long> lastWarned = new java.util.concurrent.ConcurrentHashMap<>();

  public UploadStage(Backend backend) {
    this(backend, Map.of());
  }

  public UploadStage(Backend backend, Map<String, Backend> replicas) {
    this.backend = backend;
    this.replicas = Map.copyOf(replicas);
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
    List<String> locations = new java.util.ArrayList<>();
    locations.add(backend.location());
    for (Map.Entry<String, Backend> r : replicas.entrySet()) {
      try {
        r.getValue().putIfAbsent(name, bytes);
        locations.add(r.getValue().location());
      } catch (io.lifeboat.core.storage.StorageException e) {
        long now = System.currentTimeMillis();
        Long last = lastWarned.get(r.getKey());
        if (last == null || now - last > 60_000) {
          lastWarned.put(r.getKey(), now);
          LOG.warn("replica {} did not take chunks (the repairer will copy them later): {}", r.getValue().location(), e.getMessage());
        }
      }
    }
    return ChunkStored.newBuilder()
        .setEnvelope(Envelopes.next(sealed.getBackupId()))
        .setBackupId(sealed.getBackupId())
        .setComponent(sealed.getComponent())
        .setChunkId(sealed.getChunkId())
        .setPlainSize(sealed.getPlainSize())
        .setStoredSize(bytes.length)
        .setWritten(written)
        .setLocations(locations)
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
