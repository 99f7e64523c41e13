package io.lifeboat.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The one way tests wait for something that happens in another thread or process: poll a probe
 * until its value satisfies a condition, up to a timeout, and on timeout fail saying what was
 * awaited and what was seen last. A fixed sleep is too short on a loaded machine and wasted on a
 * quiet one; a loop counted in iterations measures the machine's speed, not the system's behaviour.
 *
 * <p>A probe that throws an {@link Exception} (a server not listening yet, a store not ready) is
 * polled again; one that throws an {@link Error} (an {@link AssertionError}: a process that died, a
 * state that can never change) fails the wait at once.
 */
public final class Eventually {

  /** How long the slowest expected wait may take on a loaded 2-core machine, with a wide margin. */
  public static final Duration PATIENCE = Duration.ofSeconds(90);

  private static final Duration POLL = Duration.ofMillis(100);

  private Eventually() {}

  /**
   * Polls {@code probe} until {@code done} accepts its value.
   *
   * @param what what is awaited, for the failure message ("the catalog to show backup b-1")
   * @return the first value that {@code done} accepted
   * @throws AssertionError on timeout, naming {@code what} and the last value or exception seen
   */
  public static <T> T await(
      String what, Duration timeout, Callable<T> probe, Predicate<? super T> done) {
    Objects.requireNonNull(what, "what");
    AtomicReference<Object> last = new AtomicReference<>("nothing: the probe never answered");
    Callable<T> recorded =
        () -> {
          try {
            T value = probe.call();
            last.set(value);
            return value;
          } catch (Exception e) {
            last.set(e);
            throw e;
          }
        };
    try {
      return Awaitility.await(what)
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(POLL)
          .pollInSameThread()
          .ignoreExceptionsInstanceOf(Exception.class)
          .until(recorded, done::test);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "waited "
              + timeout.toSeconds()
              + " s for "
              + what
              + "; last seen: "
              + describe(last.get()));
    }
  }

  /**
   * Polls {@code condition} until it is true. @see #await(String, Duration, Callable, Predicate)
   */
  public static void until(String what, Duration timeout, Callable<Boolean> condition) {
    await(what, timeout, condition, Boolean.TRUE::equals);
  }

  /** {@link #until(String, Duration, Callable)} with {@link #PATIENCE}. */
  public static void until(String what, Callable<Boolean> condition) {
    until(what, PATIENCE, condition);
  }

  /** {@link #await(String, Duration, Callable, Predicate)} with {@link #PATIENCE}. */
  public static <T> T await(String what, Callable<T> probe, Predicate<? super T> done) {
    return await(what, PATIENCE, probe, done);
  }

  private static String describe(@Nullable Object last) {
    if (last instanceof Exception e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    String s = String.valueOf(last);
    return s.length() > 2000 ? s.substring(0, 2000) + " ..." : s;
  }
}
