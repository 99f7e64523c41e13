package io.lifeboat.recovery.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.Envelopes;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.model.RecoveryPlanSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanStatusTest {

  static final RecoveryPlanSpec PLAN =
      RecoveryPlanSpec.parse(
          """
          name: shop
          rto: 10m
          components:
            - name: config
              target: /srv/shop/config
          """);
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  final List<RecoveryExecution> executions = new ArrayList<>();

  void ran(
      RecoveryPlanSpec plan, RecoveryMode mode, RecoveryStatus status, int minute, long rtoMs) {
    executions.add(
        RecoveryExecution.newBuilder()
            .setEnvelope(Envelopes.next("x"))
            .setExecutionId("x-" + executions.size())
            .setPlanName(plan.name())
            .setMode(mode)
            .setStatus(status)
            .setPlan(plan.toJson())
            .setRequestedAt(T0.plusSeconds(60L * minute - 30))
            .setCompletedAt(T0.plusSeconds(60L * minute))
            .setRtoMs(rtoMs)
            .build());
  }

  @Test
  void aNewPlan_isADraft() {
    assertThat(PlanStatus.of(PLAN, executions).status()).isEqualTo("draft");
  }

  @Test
  void onlySuccessfulRunsCount_validationMakesItValidated_aTestMakesItReady() {
    ran(PLAN, RecoveryMode.VALIDATE, RecoveryStatus.INVALID, 1, 0);
    ran(PLAN, RecoveryMode.TEST, RecoveryStatus.FAILED, 2, 0);
    assertThat(PlanStatus.of(PLAN, executions).status()).isEqualTo("draft");

    ran(PLAN, RecoveryMode.VALIDATE, RecoveryStatus.SUCCEEDED, 3, 0);
    PlanStatus validated = PlanStatus.of(PLAN, executions);
    assertThat(validated.status()).isEqualTo("validated");
    assertThat(validated.validatedAt()).isEqualTo(T0.plusSeconds(180));
    assertThat(validated.testedAt()).isNull();

    ran(PLAN, RecoveryMode.TEST, RecoveryStatus.SUCCEEDED, 4, 41_000);
    ran(PLAN, RecoveryMode.TEST, RecoveryStatus.SUCCEEDED, 6, 38_000);
    ran(PLAN, RecoveryMode.TEST, RecoveryStatus.FAILED, 7, 0);
    PlanStatus ready = PlanStatus.of(PLAN, executions);
    assertThat(ready.status()).isEqualTo("ready");
    assertThat(ready.lastTestRtoMs()).as("the newest successful test").isEqualTo(38_000);
    assertThat(ready.testedAt()).isEqualTo(T0.plusSeconds(360));
  }

  @Test
  void aChangedPlan_isADraftAgain_butDeprecatingOrOtherPlansChangeNothingElse() {
    ran(PLAN, RecoveryMode.TEST, RecoveryStatus.SUCCEEDED, 1, 20_000);
    RecoveryPlanSpec other = RecoveryPlanSpec.parse(PLAN.toJson().replace("\"shop\"", "\"web\""));
    ran(other, RecoveryMode.TEST, RecoveryStatus.SUCCEEDED, 2, 10_000);

    RecoveryPlanSpec changed =
        RecoveryPlanSpec.parse(PLAN.toJson().replace("/srv/shop/config", "/srv/shop/conf"));
    assertThat(PlanStatus.of(changed, executions).status()).isEqualTo("draft");

    PlanStatus retired = PlanStatus.of(PLAN.withDeprecated(true), executions);
    assertThat(retired.status()).isEqualTo("deprecated");
    assertThat(retired.lastTestRtoMs()).as("its test record stays").isEqualTo(20_000);
    assertThat(PlanStatus.of(PLAN.withDeprecated(true).withDeprecated(false), executions).status())
        .isEqualTo("ready");
    // a forced run of the deprecated plan tests the same definition
    ran(PLAN.withDeprecated(true), RecoveryMode.TEST, RecoveryStatus.SUCCEEDED, 3, 15_000);
    assertThat(PlanStatus.of(PLAN, executions).lastTestRtoMs()).isEqualTo(15_000);
  }
}
