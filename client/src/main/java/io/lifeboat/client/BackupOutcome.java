package io.lifeboat.client;

import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.BackupStatus;
import org.jspecify.annotations.Nullable;

/**
 * How a backup request ended, as seen on the completion and rejection topics.
 *
 * @param backupId the backup
 * @param completed the completion, when it completed (any status)
 * @param rejected the rejection, when it was rejected
 */
public record BackupOutcome(
    String backupId, @Nullable BackupCompleted completed, @Nullable BackupRejected rejected) {

  public boolean succeeded() {
    return completed != null && completed.getStatus() == BackupStatus.SUCCESS;
  }

  public boolean timedOut() {
    return completed == null && rejected == null;
  }

  /** One line: the status and, when not a success, why. */
  public String summary() {
    if (rejected != null) {
      return "REJECTED: " + String.join("; ", rejected.getReasons());
    }
    if (completed == null) {
      return "TIMED OUT waiting for the backup to complete";
    }
    String reason = completed.getReason();
    return completed.getStatus() + (reason == null ? "" : ": " + reason);
  }
}
