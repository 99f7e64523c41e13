package io.lifeboat.recovery.plan;

import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.model.RecoveryPlanSpec;
import java.time.Instant;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Where a plan stands in its life, derived from the plan and the executions of it (nothing to keep
 * in step): {@code draft} when defined, {@code validated} once a validation (or a recovery) of this
 * very definition succeeded, {@code ready} once a recovery test of it succeeded, {@code deprecated}
 * when retired. Any change to the plan sends it back to draft, since the executions of the old
 * definition no longer count; a deprecated plan keeps its test record.
 *
 * @param status draft, validated, ready or deprecated
 * @param validatedAt when this definition last validated (or recovered, or tested) successfully
 * @param testedAt when its last successful recovery test ended
 * @param lastTestRtoMs that test's measured RTO
 * @param lastTestExecutionId that test's execution
 */
public record PlanStatus(
    String status,
    @Nullable Instant validatedAt,
    @Nullable Instant testedAt,
    long lastTestRtoMs,
    @Nullable String lastTestExecutionId) {

  public static final String DRAFT = "draft";
  public static final String VALIDATED = "validated";
  public static final String READY = "ready";
  public static final String DEPRECATED = "deprecated";

  public static PlanStatus of(RecoveryPlanSpec plan, Collection<RecoveryExecution> executions) {
    String key = plan.definitionKey();
    Instant validatedAt = null;
    RecoveryExecution lastTest = null;
    for (RecoveryExecution x : executions) {
      if (!plan.name().equals(x.getPlanName())
          || x.getStatus() != RecoveryStatus.SUCCEEDED
          || x.getCompletedAt() == null
          || x.getMode() == RecoveryMode.ROLLBACK
          || !sameDefinition(key, x.getPlan())) {
        continue;
      }
      if (validatedAt == null || x.getCompletedAt().isAfter(validatedAt)) {
        validatedAt = x.getCompletedAt();
      }
      if (x.getMode() == RecoveryMode.TEST
          && (lastTest == null || x.getCompletedAt().isAfter(lastTest.getCompletedAt()))) {
        lastTest = x;
      }
    }
    String status =
        plan.retired()
            ? DEPRECATED
            : lastTest != null ? READY : validatedAt != null ? VALIDATED : DRAFT;
    return new PlanStatus(
        status,
        validatedAt,
        lastTest == null ? null : lastTest.getCompletedAt(),
        lastTest == null ? 0 : lastTest.getRtoMs(),
        lastTest == null ? null : lastTest.getExecutionId());
  }

  private static boolean sameDefinition(String key, String executedPlan) {
    if (executedPlan == null || executedPlan.isBlank()) {
      return false;
    }
    try {
      return key.equals(RecoveryPlanSpec.parse(executedPlan).definitionKey());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
