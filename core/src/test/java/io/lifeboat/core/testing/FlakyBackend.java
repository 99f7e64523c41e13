package io.lifeboat.core.testing;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.StorageException;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A backend that fails a share of its calls with transient errors, half of them before doing the
 * work and half after (the answer lost on the way back), as a flaky network does. For fault tests:
 * with retries in front, nothing may be lost or duplicated.
 */
public final class FlakyBackend implements Backend {

  private final Backend inner;
  private final double failureRate;
  private final Random random;
  private int failures;

  public FlakyBackend(Backend inner, double failureRate, long seed) {
    this.inner = inner;
    this.failureRate = failureRate;
    this.random = new Random(seed);
  }

  /** How many calls failed so far. */
  public synchronized int failures() {
    return failures;
  }

  private synchronized int roll() {
    double r = random.nextDouble();
    if (r >= failureRate) {
      return 0;
    }
    failures++;
    return r < failureRate / 2 || failureRate >= 1.0 ? 1 : 2;
  }

  private <T> T flaky(String what, Supplier<T> op) {
    int fault = roll();
    if (fault == 1) {
      throw StorageException.transientFault("injected fault before " + what, null);
    }
    T result = op.get();
    if (fault == 2) {
      throw StorageException.transientFault(
          "injected fault after " + what + " (answer lost)", null);
    }
    return result;
  }

  @Override
  public String location() {
    return "flaky+" + inner.location();
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    return flaky("put " + name, () -> inner.putIfAbsent(name, data));
  }

  @Override
  public byte[] get(String name) {
    return flaky("get " + name, () -> inner.get(name));
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    return flaky("get " + name, () -> inner.get(name, offset, length));
  }

  @Override
  public java.util.Optional<String> version(String name) {
    return inner.version(name);
  }

  @Override
  public OptionalLong size(String name) {
    return flaky("stat " + name, () -> inner.size(name));
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    flaky(
        "list " + prefix,
        () -> {
          inner.list(prefix, each);
          return null;
        });
  }

  @Override
  public boolean delete(String name) {
    return flaky("delete " + name, () -> inner.delete(name));
  }
}
