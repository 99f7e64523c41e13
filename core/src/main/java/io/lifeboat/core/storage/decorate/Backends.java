package io.lifeboat.core.storage.decorate;

import io.lifeboat.core.storage.Backend;
import java.util.Optional;

/** Composes the decorators, in one place, in one order. */
public final class Backends {

  private Backends() {}

  /**
   * retry( logging( concurrency-limit( rate-limit( backend ) ) ) ): a retried call waits for a
   * connection again, and the rate limit counts what really goes over the wire.
   */
  public static Backend decorate(Backend backend, StorageOptions options) {
    Backend b = backend;
    if (options.bytesPerSecond() > 0) {
      b = new RateLimitedBackend(b, options.bytesPerSecond());
    }
    if (options.connections() > 0) {
      b = new ConcurrencyLimitedBackend(b, options.connections());
    }
    b = new LoggingBackend(b);
    return new RetryingBackend(b, options.retry());
  }

  /** The first backend of the given type in the decoration chain, outermost first. */
  public static <T extends Backend> Optional<T> unwrap(Backend backend, Class<T> type) {
    Backend b = backend;
    while (true) {
      if (type.isInstance(b)) {
        return Optional.of(type.cast(b));
      }
      if (b instanceof DecoratedBackend d) {
        b = d.inner();
      } else {
        return Optional.empty();
      }
    }
  }
}
