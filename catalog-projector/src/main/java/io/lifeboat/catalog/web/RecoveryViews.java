package io.lifeboat.catalog.web;

import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoverySteps;
import io.lifeboat.model.RecoveryView;
import io.lifeboat.model.RecoveryView.StepView;
import java.util.List;

/**
 * Recovery executions in the API's JSON shape ({@link RecoveryView}, GET /api/recoveries and
 * /api/recoveries/{id}), converted from the Avro state.
 */
public final class RecoveryViews {

  private RecoveryViews() {}

  static RecoveryView of(RecoveryExecution x) {
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
        x.getSteps().stream().map(RecoveryViews::of).toList());
  }

  static StepView of(RecoveryStep s) {
    return new StepView(
        s.getStepId(),
        RecoverySteps.kind(s),
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
