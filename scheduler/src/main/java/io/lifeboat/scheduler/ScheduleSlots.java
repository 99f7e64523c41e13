package io.lifeboat.scheduler;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;

/**
 * The slots of a cron expression in a time zone, and which one is due: plain arithmetic, no clock
 * of its own.
 */
public final class ScheduleSlots {

  private final CronExpression cron;
  private final ZoneId zone;

  private ScheduleSlots(CronExpression cron, ZoneId zone) {
    this.cron = cron;
    this.zone = zone;
  }

  /**
   * @param expression five fields (minute hour day-of-month month day-of-week), six with a leading
   *     seconds field, or a macro such as {@code @daily}
   * @throws IllegalArgumentException saying what is wrong with the expression or the zone
   */
  public static ScheduleSlots of(String expression, String zone) {
    String e = expression.strip();
    if (!e.startsWith("@") && e.split("\\s+").length == 5) {
      e = "0 " + e; // the usual five fields: at second 0
    }
    CronExpression cron;
    try {
      cron = CronExpression.parse(e);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(
          "invalid cron expression '" + expression + "': " + ex.getMessage(), ex);
    }
    ZoneId z;
    try {
      z = ZoneId.of(zone);
    } catch (java.time.DateTimeException ex) {
      throw new IllegalArgumentException("unknown time zone '" + zone + "'", ex);
    }
    return new ScheduleSlots(cron, z);
  }

  /** The first slot strictly after {@code t}, if the expression has one. */
  public Optional<Instant> next(Instant t) {
    ZonedDateTime n = cron.next(t.atZone(zone));
    return Optional.ofNullable(n).map(ZonedDateTime::toInstant);
  }

  /**
   * A slot that is due: the newest slot at or before now, and how many older slots after the last
   * fired one it stands for (they are not fired: a schedule catches up once, not once per slot).
   */
  public record Due(Instant slot, long skipped) {}

  /** The slot due at {@code now}, given the last slot already dealt with. */
  public Optional<Due> due(Instant lastSlot, Instant now) {
    Optional<Instant> first = next(lastSlot);
    if (first.isEmpty() || first.get().isAfter(now)) {
      return Optional.empty();
    }
    Instant latest = first.get();
    long skipped = 0;
    for (Optional<Instant> n = next(latest);
        n.isPresent() && !n.get().isAfter(now);
        n = next(latest)) {
      latest = n.get();
      skipped++;
    }
    return Optional.of(new Due(latest, skipped));
  }
}
