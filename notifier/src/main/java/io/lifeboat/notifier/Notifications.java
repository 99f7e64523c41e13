package io.lifeboat.notifier;

import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.BackupStatus;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Which events become notifications, and their words. Alerts are taken as they are (failed, partial
 * and corrupted backups, RPO and RTO breaches, storage write failures, failed recoveries, ...). A
 * rejected request (not started: invalid, or its storage refused it). From the completion topic
 * only what no alert reports: a backup that succeeded or was cancelled. From recovery executions
 * only one that succeeded (its failures are alerts).
 */
public final class Notifications {

  private Notifications() {}

  public static Optional<Notification> of(SpecificRecord event) {
    if (event instanceof Alert a) {
      return Optional.of(
          new Notification(
              a.getKind(),
              a.getSeverity().name(),
              a.getSubject(),
              "[" + a.getSeverity() + "] " + a.getKind() + ": " + a.getSubject(),
              a.getMessage(),
              Map.copyOf(a.getLabels()),
              a.getEnvelope().getTime()));
    }
    if (event instanceof BackupRejected r) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("name", r.getName());
      labels.put("backupId", r.getBackupId());
      return Optional.of(
          new Notification(
              "backup.rejected",
              "WARNING",
              r.getBackupId(),
              "Backup " + (r.getName().isEmpty() ? r.getBackupId() : r.getName()) + " rejected",
              r.getBackupId() + " was not started: " + String.join("; ", r.getReasons()),
              labels,
              r.getEnvelope().getTime()));
    }
    if (event instanceof BackupCompleted c
        && (c.getStatus() == BackupStatus.SUCCESS || c.getStatus() == BackupStatus.CANCELLED)) {
      boolean ok = c.getStatus() == BackupStatus.SUCCESS;
      Map<String, String> labels = new LinkedHashMap<>(c.getLabels());
      labels.put("name", c.getName());
      labels.put("backupId", c.getBackupId());
      String text =
          ok
              ? "%s: %,d bytes read, %,d new bytes stored as %,d bytes, in %.1f s"
                  .formatted(
                      c.getBackupId(),
                      c.getSizeBytes(),
                      c.getNewBytes(),
                      c.getStoredBytes(),
                      c.getDurationMs() / 1000.0)
              : c.getBackupId() + " was cancelled: " + String.valueOf(c.getReason());
      return Optional.of(
          new Notification(
              ok ? "backup.succeeded" : "backup.cancelled",
              ok ? "INFO" : "WARNING",
              c.getBackupId(),
              "Backup " + c.getName() + (ok ? " succeeded" : " cancelled"),
              text,
              labels,
              c.getEnvelope().getTime()));
    }
    if (event instanceof RecoveryExecution x && x.getStatus() == RecoveryStatus.SUCCEEDED) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("plan", x.getPlanName());
      labels.put("mode", x.getMode().name());
      labels.put("executionId", x.getExecutionId());
      String what =
          switch (x.getMode()) {
            case TEST -> "Recovery test";
            case VALIDATE -> "Validation";
            case ROLLBACK -> "Rollback";
            default -> "Recovery";
          };
      return Optional.of(
          new Notification(
              "recovery.succeeded",
              "INFO",
              x.getExecutionId(),
              what + " of plan " + x.getPlanName() + " succeeded",
              x.getRtoMs() > 0
                  ? "%s of plan %s succeeded: measured RTO %.1f s%s"
                      .formatted(
                          what,
                          x.getPlanName(),
                          x.getRtoMs() / 1000.0,
                          x.getObjectiveRtoMs() > 0
                              ? " (objective %.0f s)".formatted(x.getObjectiveRtoMs() / 1000.0)
                              : "")
                  : what + " of plan " + x.getPlanName() + " succeeded",
              labels,
              x.getEnvelope().getTime()));
    }
    return Optional.empty();
  }
}
