package io.lifeboat.stage.verify;

import io.lifeboat.core.retention.RetentionPolicy;
import io.lifeboat.core.schedule.ScheduledBackups;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.ScheduleDefined;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The retention a scheduled backup's success applies, from the schedule itself (followed on the
 * compacted schedules topic), never from the backup's labels: whoever may request a backup could
 * set any label, but only who may define a schedule sets its retention. A backup applies its
 * schedule's retention only when it carries that schedule's label and the schedule backs up exactly
 * its name.
 */
public final class ScheduleRetention {

  private final Map<String, ScheduleDefined> schedules = new ConcurrentHashMap<>();

  /** Learns a schedule's current definition (a null, for a deleted one, is ignored). */
  public void accept(@Nullable ScheduleDefined schedule) {
    if (schedule != null) {
      schedules.put(schedule.getName(), schedule);
    }
  }

  /**
   * The policy to apply after {@code done}: its schedule's (the default policy when the schedule
   * sets none); empty for a backup of no known schedule, of another name than its schedule's, or of
   * a schedule that keeps everything.
   */
  public Optional<RetentionPolicy> policyFor(BackupCompleted done) {
    String name = done.getLabels().get(ScheduledBackups.SCHEDULE_LABEL);
    ScheduleDefined s = name == null ? null : schedules.get(name);
    if (s == null
        || s.getAction() != io.lifeboat.events.ScheduleAction.BACKUP
        || !s.getBackupName().equals(done.getName())) {
      return Optional.empty();
    }
    if (s.getRetention() == null) {
      return Optional.of(RetentionPolicy.DEFAULT);
    }
    if (s.getRetention().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(RetentionPolicy.fromOptions(s.getRetention()));
  }
}
