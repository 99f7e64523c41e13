package io.lifeboat.stage.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Rate-limits the Kafka clients' connection warnings. While a broker is down, every consumer,
 * producer and admin client of a process says "could not be established" several times a second (20
 * lines a second seen under {@code lifeboat up}); one line per interval, with the number left out,
 * tells the operator the same thing without drowning the log.
 */
public final class KafkaConnectionWarnings extends TurboFilter {

  private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

  private long intervalMillis = 30_000;
  private final AtomicLong nextAllowed = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();

  /** Logback setter: at most one connection warning per this many milliseconds. */
  public void setIntervalMillis(long intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN || !logger.getName().startsWith(NETWORK_CLIENT) || format == null) {
      return FilterReply.NEUTRAL;
    }
    long now = System.currentTimeMillis();
    long next = nextAllowed.get();
    if (now >= next && nextAllowed.compareAndSet(next, now + intervalMillis)) {
      long left = suppressed.getAndSet(0);
      if (left > 0) {
        LoggerFactory.getLogger(KafkaConnectionWarnings.class)
            .warn(
                "{} more Kafka connection warnings in the last {} s were left out",
                left,
                intervalMillis / 1000);
      }
      return FilterReply.NEUTRAL;
    }
    suppressed.incrementAndGet();
    return FilterReply.DENY;
  }
}
