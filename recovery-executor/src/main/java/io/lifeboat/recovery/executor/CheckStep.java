package io.lifeboat.recovery.executor;

import io.lifeboat.core.provider.Redact;
import io.lifeboat.events.CheckStepSpec;
import io.lifeboat.events.RecoveryStepResult;

/** Check: runs one user health check against the restored targets. */
final class CheckStep {

  private final UserChecks checks;

  CheckStep(UserChecks checks) {
    this.checks = checks;
  }

  void run(CheckStepSpec spec, RecoveryStepResult.Builder r) {
    UserChecks.Outcome outcome = checks.run(spec.getCheck(), spec.getTargets(), spec.getKinds());
    r.setSucceeded(outcome.passed()).setMessage(Redact.spec(outcome.message()));
  }
}
