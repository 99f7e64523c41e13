package io.lifeboat.stage.verify;

import io.lifeboat.core.crypto.ChunkId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which chunks this process read back and authenticated recently. A backup that reuses a chunk
 * authenticates it again unless it was verified within the window: deduplication then never trusts
 * mere existence for long (bit rot is found by the next backup after the window), while a busy
 * schedule does not read the whole repository back on every run. Bounded: the least recently
 * verified are forgotten first (and simply verified again). Memory only: a restarted verify stage
 * authenticates each reused chunk once more.
 */
final class VerifiedChunks {

  private final long windowNanos;
  private final int capacity;
  private final LongSupplier nanoClock;
  private final Map<ChunkId, Seen> verifiedAt;

  private record Seen(long atNanos, String version) {}

  /**
   * @param window how long a verified chunk is trusted; zero authenticates every reuse
   * @param capacity how many chunks are remembered
   */
  VerifiedChunks(Duration window, int capacity, LongSupplier nanoClock) {
    this.windowNanos = window.toNanos();
    this.capacity = capacity;
    this.nanoClock = nanoClock;
    this.verifiedAt =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<ChunkId, Seen> eldest) {
            return size() > VerifiedChunks.this.capacity;
          }
        };
  }

  VerifiedChunks(Duration window, int capacity) {
    this(window, capacity, System::nanoTime);
  }

  /**
   * Whether {@code id} was authenticated within the window while its object had this version.
   *
   * @param version the object's version now; empty (the storage cannot tell) trusts the window
   */
  synchronized boolean isRecent(ChunkId id, java.util.Optional<String> version) {
    Seen seen = verifiedAt.get(id);
    return seen != null
        && windowNanos > 0
        && nanoClock.getAsLong() - seen.atNanos() < windowNanos
        && version.orElse("").equals(seen.version());
  }

  /** Whether this process verified {@code id} within the window (its version aside). */
  synchronized boolean isRecent(ChunkId id) {
    Seen seen = verifiedAt.get(id);
    return seen != null && windowNanos > 0 && nanoClock.getAsLong() - seen.atNanos() < windowNanos;
  }

  /** {@code id} was just read back and authenticated; its object had {@code version}. */
  synchronized void verified(ChunkId id, java.util.Optional<String> version) {
    verifiedAt.remove(id); // re-inserted last: the eldest is the least recently verified
    verifiedAt.put(id, new Seen(nanoClock.getAsLong(), version.orElse("")));
  }

  /** {@code id} failed authentication: never trusted from memory. */
  synchronized void forget(ChunkId id) {
    verifiedAt.remove(id);
  }
}
