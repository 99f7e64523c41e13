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
 * duplicates (the same chunk from two backups) cost nothing and never change a stored object. The
 * primary location must take it (else the chunk is retried and dead-lettered); replicas are written
 * too, and one that fails (after its own retries) is left behind for the repairer: a replica that
 * is down must not stop backups. After a failure a replica is skipped for a cool-down period, so
 * that a region that is down costs one retry cycle per period rather than one per chunk. Holds no
 * key and sees no plaintext.
 */
public final class UploadStage {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UploadStage.class);

  private final Backend backend;
  private final Map<String, Backend> replicas;

  /** How long a replica that failed is skipped by default. */
  public static final java.time.Duration DEFAULT_REPLICA_COOL_DOWN =
      java.time.Duration.ofSeconds(30);

  private final Map<String, Long> skipUntil = new java.util.concurrent.ConcurrentHashMap<>();
  private final long coolDownMillis;
  private final java.util.function.LongSupplier clock;

  public UploadStage(Backend backend) {
    this(backend, Map.of());
  }

  public UploadStage(Backend backend, Map<String, Backend> replicas) {
    this(backend, replicas, DEFAULT_REPLICA_COOL_DOWN, System::currentTimeMillis);
  }

  /**
   * @param coolDown how long a replica that failed is not written to
   * @param clock milliseconds now
   */
  public UploadStage(
      Backend backend,
      Map<String, Backend> replicas,
      java.time.Duration coolDown,
      java.util.function.LongSupplier clock) {
    this.backend = backend;
    this.replicas = Map.copyOf(replicas);
    this.coolDownMillis = coolDown.toMillis();
    this.clock = clock;
  }

  /**
   * @throws io.lifeboat.core.storage.StorageException when storage fails
   */
  public ChunkStored store(ChunkSealed sealed) {
    String name;
    try {
      name = RepositoryLayout.chunk(ChunkId.parse(sealed.getChunkId()));
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException(
          "sealed chunk of backup " + sealed.getBackupId() + ": " + e.getMessage(), e);
    }
    byte[] bytes = toArray(sealed.getSealed());
    boolean written = backend.putIfAbsent(name, bytes);
    List<String> locations = new java.util.ArrayList<>();
    locations.add(backend.location());
    for (Map.Entry<String, Backend> r : replicas.entrySet()) {
      Long until = skipUntil.get(r.getKey());
      if (until != null && clock.getAsLong() < until) {
        continue;
      }
      try {
        r.getValue().putIfAbsent(name, bytes);
        locations.add(r.getValue().location());
        skipUntil.remove(r.getKey());
      } catch (io.lifeboat.core.storage.StorageException e) {
        skipUntil.put(r.getKey(), clock.getAsLong() + coolDownMillis);
        LOG.warn(
            "replica {} did not take chunks; not writing to it for {} s (the repairer will copy what it lacks): {}",
            r.getValue().location(),
            coolDownMillis / 1000,
            e.getMessage());
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
    if (buffer.hasArray()
        && buffer.arrayOffset() == 0
        && buffer.position() == 0
        && buffer.remaining() == buffer.array().length) {
      return buffer.array();
    }
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
