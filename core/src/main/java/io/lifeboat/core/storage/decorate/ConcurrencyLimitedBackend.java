package io.lifeboat.core.storage.decorate;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.StorageException;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** At most {@code connections} operations in flight against the backend at once. */
public final class ConcurrencyLimitedBackend implements DecoratedBackend {

  private final Backend inner;
  private final Semaphore permits;

  public ConcurrencyLimitedBackend(Backend inner, int connections) {
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be >= 1: " + connections);
    }
    this.inner = inner;
    this.permits = new Semaphore(connections, true);
  }

  @Override
  public Backend inner() {
    return inner;
  }

  private <T> T limited(Supplier<T> op) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StorageException.transientFault(
          "interrupted while waiting for a connection to " + inner.location(), e);
    }
    try {
      return op.get();
    } finally {
      permits.release();
    }
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    return limited(() -> inner.putIfAbsent(name, data));
  }

  @Override
  public byte[] get(String name) {
    return limited(() -> inner.get(name));
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    return limited(() -> inner.get(name, offset, length));
  }

  @Override
  public OptionalLong size(String name) {
    return limited(() -> inner.size(name));
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    limited(
        () -> {
          inner.list(prefix, each);
          return null;
        });
  }

  @Override
  public boolean delete(String name) {
    return limited(() -> inner.delete(name));
  }
}
