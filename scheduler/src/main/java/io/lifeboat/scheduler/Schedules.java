package io.lifeboat.scheduler;

import io.lifeboat.core.retention.RetentionPolicy;
import io.lifeboat.core.schedule.ScheduledBackups;
import io.lifeboat.events.ScheduleAction;
import io.lifeboat.events.ScheduleDefined;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Checks a schedule before anyone relies on it: the command line and the scheduler alike. */
public final class Schedules {

  private Schedules() {}

  /** What is wrong with {@code s}, or null. */
  public static @Nullable String problem(ScheduleDefined s) {
    if (!ScheduledBackups.isValidName(s.getName())) {
      return "invalid schedule name '"
          + s.getName()
          + "': lower-case letters, digits, '.', '_' and '-', at most 64";
    }
    try {
      ScheduleSlots slots = ScheduleSlots.of(s.getCron(), s.getZone());
      if (slots.next(java.time.Instant.now()).isEmpty()) {
        return "cron expression '" + s.getCron() + "' has no future slot";
      }
    } catch (IllegalArgumentException e) {
      return String.valueOf(e.getMessage());
    }
    if (s.getRpo() != null) {
      try {
        Duration rpo = Duration.parse(s.getRpo());
        if (rpo.isNegative() || rpo.isZero()) {
          return "the RPO must be positive, got " + s.getRpo();
        }
      } catch (java.time.format.DateTimeParseException e) {
        return "the RPO must be an ISO-8601 duration such as PT26H, got " + s.getRpo();
      }
    }
    if (s.getAction() == ScheduleAction.WATCH) {
      return s.getRpo() == null || s.getBackupName().isBlank()
          ? "a watch names the backups it watches and their RPO"
          : null;
    }
    if (s.getAction() == ScheduleAction.PLAN_TEST) {
      return s.getPlan() == null || s.getPlan().isBlank() ? "a plan test names a plan" : null;
    }
    if (s.getBackupName().isBlank()) {
      return "a backup schedule names its backups";
    }
    if (s.getComponents().isEmpty()) {
      return "a backup schedule names at least one source";
    }
    if (s.getRetention() != null) {
      try {
        RetentionPolicy.fromOptions(s.getRetention());
      } catch (IllegalArgumentException e) {
        return String.valueOf(e.getMessage());
      }
    }
    return null;
  }
}
