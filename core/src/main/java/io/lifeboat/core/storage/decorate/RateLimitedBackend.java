package io.lifeboat.core.storage.decorate;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Limits the bytes per second written to and read from a location (a token bucket shared by all
 * threads), so backups do not saturate a WAN link or a shared bucket.
 */
public final class RateLimitedBackend implements DecoratedBackend {

  private final Backend inner;
  private final long bytesPerSecond;
  private long availableAtNanos;

  public RateLimitedBackend(Backend inner, long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond must be positive: " + bytesPerSecond);
    }
    this.inner = inner;
    this.bytesPerSecond = bytesPerSecond;
    this.availableAtNanos = System.nanoTime();
  }

  @Override
  public Backend inner() {
    return inner;
  }

  /** Takes {@code bytes} from the bucket, sleeping until they are available. */
  void acquire(long bytes) {
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      long start = Math.max(now - 1_000_000_000L, availableAtNanos); // at most one second of burst
      availableAtNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
      waitNanos = availableAtNanos - now;
    }
    if (waitNanos > 0) {
      try {
        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    acquire(data.length);
    return inner.putIfAbsent(name, data);
  }

  @Override
  public byte[] get(String name) {
    byte[] data = inner.get(name);
    acquire(data.length);
    return data;
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    acquire(length);
    return inner.get(name, offset, length);
  }

  @Override
  public OptionalLong size(String name) {
    return inner.size(name);
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    inner.list(prefix, each);
  }

  @Override
  public boolean delete(String name) {
    return inner.delete(name);
  }
}
