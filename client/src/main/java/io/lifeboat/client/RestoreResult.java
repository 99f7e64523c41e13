package io.lifeboat.client;

import io.lifeboat.model.RecoveryView;
import org.jspecify.annotations.Nullable;

/**
 * How a restore of one backup ended. It ran as a recovery execution, so it has steps, health lines
 * and a measured RTO, and {@link LifeboatClient#rollbackRecovery} can undo it.
 *
 * @param executionId its recovery execution
 * @param backupId the backup restored
 * @param status SUCCEEDED, INVALID, FAILED or ROLLED_BACK (or where it stood when the wait ended)
 * @param reason why it did not succeed
 * @param bytesRestored bytes written into the targets
 * @param rtoMs measured time from the request to the end
 * @param execution the whole execution
 */
public record RestoreResult(
    String executionId,
    String backupId,
    String status,
    @Nullable String reason,
    long bytesRestored,
    long rtoMs,
    RecoveryView execution) {

  public boolean succeeded() {
    return "SUCCEEDED".equals(status);
  }

  static RestoreResult of(String backupId, RecoveryView x) {
    return new RestoreResult(
        x.executionId(),
        backupId,
        x.status(),
        x.reason(),
        x.steps().stream().mapToLong(RecoveryView.StepView::bytes).sum(),
        x.rtoMs(),
        x);
  }
}
