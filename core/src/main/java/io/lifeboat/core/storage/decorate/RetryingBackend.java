package io.lifeboat.core.storage.decorate;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.StorageException;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries transient failures ({@link StorageException#isPermanent()} false) with exponential
 * backoff and jitter; permanent ones (missing object, bad credentials, missing bucket) fail at
 * once. Safe because every operation of the contract is idempotent: a put-if-absent whose answer
 * was lost and that is retried answers false ("already there") without harm.
 */
public final class RetryingBackend implements DecoratedBackend {

  private static final Logger LOG = LoggerFactory.getLogger(RetryingBackend.class);

  private final Backend inner;
  private final RetryPolicy policy;

  public RetryingBackend(Backend inner, RetryPolicy policy) {
    this.inner = inner;
    this.policy = policy;
  }

  @Override
  public Backend inner() {
    return inner;
  }

  private <T> T retry(String what, Supplier<T> op) {
    for (int attempt = 1; ; attempt++) {
      try {
        return op.get();
      } catch (StorageException e) {
        if (e.isPermanent() || attempt >= policy.maxAttempts()) {
          throw e;
        }
        long wait = policy.delayMillis(attempt + 1, ThreadLocalRandom.current());
        LOG.warn(
            "{} at {} failed (try {} of {}), retrying in {} ms: {}",
            what,
            inner.location(),
            attempt,
            policy.maxAttempts(),
            wait,
            e.getMessage());
        try {
          Thread.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    return retry("put " + name, () -> inner.putIfAbsent(name, data));
  }

  @Override
  public byte[] get(String name) {
    return retry("get " + name, () -> inner.get(name));
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    return retry("get " + name, () -> inner.get(name, offset, length));
  }

  @Override
  public OptionalLong size(String name) {
    return retry("stat " + name, () -> inner.size(name));
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    // A listing that fails half way is retried whole; the consumer may see an object twice then,
    // so collect first and hand over once.
    java.util.List<ObjectInfo> all =
        retry(
            "list " + prefix,
            () -> {
              java.util.List<ObjectInfo> seen = new java.util.ArrayList<>();
              inner.list(prefix, seen::add);
              return seen;
            });
    all.forEach(each);
  }

  @Override
  public boolean delete(String name) {
    return retry("delete " + name, () -> inner.delete(name));
  }
}
