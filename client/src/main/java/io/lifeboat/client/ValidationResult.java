package io.lifeboat.client;

import io.lifeboat.model.RecoveryView;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether a recovery plan could run now (backups there and verified, targets reachable, tools
 * present, room enough), and every problem when not. Nothing was changed.
 *
 * @param planName the plan
 * @param executionId the validation's execution
 * @param valid no problem found
 * @param reason the summary when not valid
 * @param problems every problem found
 * @param execution the whole execution
 */
public record ValidationResult(
    String planName,
    String executionId,
    boolean valid,
    @Nullable String reason,
    List<String> problems,
    RecoveryView execution) {

  static ValidationResult of(RecoveryView x) {
    return new ValidationResult(
        x.planName(), x.executionId(), "SUCCEEDED".equals(x.status()), x.reason(), x.problems(), x);
  }
}
