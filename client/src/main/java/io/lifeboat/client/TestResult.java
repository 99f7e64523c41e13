package io.lifeboat.client;

import io.lifeboat.model.RecoveryView;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A recovery test: the plan restored into scratch targets, its checks run, everything torn down.
 *
 * @param planName the plan
 * @param executionId the test's execution
 * @param passed every restore and check succeeded
 * @param reason why it did not pass
 * @param rtoMs measured recovery time
 * @param objectiveRtoMs the plan's RTO objective (0: none)
 * @param rtoMet no objective, or the measured RTO within it
 * @param rpoMs the data a recovery now would lose: from the oldest backup used to the request
 * @param checks the check steps and how they ended
 * @param execution the whole execution
 */
public record TestResult(
    String planName,
    String executionId,
    boolean passed,
    @Nullable String reason,
    long rtoMs,
    long objectiveRtoMs,
    boolean rtoMet,
    long rpoMs,
    List<RecoveryView.StepView> checks,
    RecoveryView execution) {

  static TestResult of(RecoveryView x) {
    return new TestResult(
        x.planName(),
        x.executionId(),
        "SUCCEEDED".equals(x.status()),
        x.reason(),
        x.rtoMs(),
        x.objectiveRtoMs(),
        !x.rtoBreached(),
        x.rpoMs(),
        x.steps().stream().filter(s -> "check".equals(s.kind())).toList(),
        x);
  }
}
