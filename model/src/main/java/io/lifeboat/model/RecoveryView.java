package io.lifeboat.model;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One recovery execution, as the catalog API returns it ({@code GET /api/recoveries} and {@code
 * /api/recoveries/{id}}). The plan JSON, the step parameters and the saga's internal fields are not
 * part of it.
 *
 * @param executionId id
 * @param planName the recovery plan it runs
 * @param environment the plan's environment
 * @param mode EXECUTE, TEST, VALIDATE or ROLLBACK
 * @param status PENDING, VALIDATING, RUNNING, COMPENSATING, SUCCEEDED, INVALID, FAILED or
 *     ROLLED_BACK
 * @param reason why it failed or was invalid
 * @param problems what validation found
 * @param notice the answer to the latest request about it that changed nothing
 * @param at the point in time it recovers to, when asked
 * @param backupId the backup it recovers from, when asked
 * @param requestedAt when it was requested
 * @param completedAt when it ended
 * @param rtoMs measured recovery time
 * @param objectiveRtoMs the plan's RTO objective; 0 when none
 * @param rtoBreached the measured RTO exceeded a set objective
 * @param dataAsOf when the oldest backup it restores was completed
 * @param rpoMs the data it cannot bring back: from dataAsOf to the request
 * @param objectiveRpoMs the plan's RPO objective; 0 when none
 * @param estimatedMs estimated duration
 * @param rolledBack every change it made was undone
 * @param steps its steps, in plan order
 */
public record RecoveryView(
    String executionId,
    String planName,
    String environment,
    String mode,
    String status,
    @Nullable String reason,
    List<String> problems,
    @Nullable String notice,
    @Nullable Instant at,
    @Nullable String backupId,
    Instant requestedAt,
    @Nullable Instant completedAt,
    long rtoMs,
    long objectiveRtoMs,
    boolean rtoBreached,
    @Nullable Instant dataAsOf,
    long rpoMs,
    long objectiveRpoMs,
    long estimatedMs,
    boolean rolledBack,
    List<StepView> steps) {

  /**
   * One step of a recovery execution.
   *
   * @param stepId unique within the execution, e.g. restore:db
   * @param kind prepare, restore or check
   * @param component the component it concerns, if any
   * @param description what it does
   * @param dependsOn step ids that run before it
   * @param status where it stands
   * @param startedAt when it started
   * @param durationMs how long it ran
   * @param compensationMs how long undoing it took
   * @param estimateMs its estimated duration
   * @param bytes bytes it moved
   * @param message what the executor said
   * @param backupId the backup a restore step reads (retention keeps it while the recovery runs)
   */
  public record StepView(
      String stepId,
      String kind,
      @Nullable String component,
      String description,
      List<String> dependsOn,
      String status,
      @Nullable Instant startedAt,
      long durationMs,
      long compensationMs,
      long estimateMs,
      long bytes,
      @Nullable String message,
      @Nullable String backupId) {}

  public static RecoveryView of(io.lifeboat.events.RecoveryExecution x) {
    return new RecoveryView(
        x.getExecutionId(),
        x.getPlanName(),
        x.getEnvironment(),
        x.getMode().name(),
        x.getStatus().name(),
        x.getReason(),
        List.copyOf(x.getProblems()),
        x.getNotice(),
        x.getAt(),
        x.getBackupId(),
        x.getRequestedAt(),
        x.getCompletedAt(),
        x.getRtoMs(),
        x.getObjectiveRtoMs(),
        x.getObjectiveRtoMs() > 0 && x.getRtoMs() > x.getObjectiveRtoMs(),
        x.getDataAsOf(),
        x.getRpoMs(),
        x.getObjectiveRpoMs(),
        x.getEstimatedMs(),
        x.getRolledBack(),
        x.getSteps().stream().map(RecoveryView::of).toList());
  }

  static StepView of(io.lifeboat.events.RecoveryStep s) {
    return new StepView(
        s.getStepId(),
        io.lifeboat.events.RecoverySteps.kind(s),
        s.getComponent(),
        s.getDescription(),
        List.copyOf(s.getDependsOn()),
        s.getStatus().name(),
        s.getStartedAt(),
        s.getDurationMs(),
        s.getCompensationMs(),
        s.getEstimateMs(),
        s.getBytes(),
        s.getMessage(),
        s.getSpec() instanceof io.lifeboat.events.RestoreStepSpec r ? r.getBackupId() : null);
  }
}
