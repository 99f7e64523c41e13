package io.lifeboat.notifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the first of a repeated notification through and holds back the same one (same kind, same
 * subject, same channel) for a while: an RPO breach re-reported every minute reaches a person once
 * per window.
 */
public final class Throttle {

  private final Duration window;
  private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

  public Throttle(Duration window) {
    this.window = window;
  }

  /** Whether {@code key} may be sent at {@code now}; if so, it counts as sent. */
  public boolean allow(String key, Instant now) {
    if (window.isZero() || window.isNegative()) {
      return true;
    }
    boolean[] allowed = {false};
    lastSent.compute(
        key,
        (k, last) -> {
          if (last == null || !now.isBefore(last.plus(window))) {
            allowed[0] = true;
            return now;
          }
          return last;
        });
    if (lastSent.size() > 10_000) {
      forgetBefore(now.minus(window));
    }
    return allowed[0];
  }

  private void forgetBefore(Instant cutoff) {
    for (Iterator<Instant> it = lastSent.values().iterator(); it.hasNext(); ) {
      if (it.next().isBefore(cutoff)) {
        it.remove();
      }
    }
  }
}
