package io.lifeboat.core.storage.decorate;

import java.time.Duration;

/**
 * How transient storage failures are retried: exponential backoff with full jitter (AWS
 * architecture blog), at most {@code maxAttempts} tries in all.
 *
 * @param maxAttempts tries including the first (1 = no retry)
 * @param initialDelay upper bound of the first wait
 * @param maxDelay cap of each wait
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(10));
  }

  /**
   * Wait before try number {@code attempt} (2, 3, ...): random in [0, min(max, initial *
   * 2^(attempt-2))].
   */
  long delayMillis(int attempt, java.util.random.RandomGenerator random) {
    long cap = Math.min(maxDelay.toMillis(), initialDelay.toMillis() << Math.min(20, attempt - 2));
    return cap <= 0 ? 0 : random.nextLong(cap + 1);
  }
}
