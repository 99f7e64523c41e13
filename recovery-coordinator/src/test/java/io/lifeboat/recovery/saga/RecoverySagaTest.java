package io.lifeboat.recovery.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.Alert;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.IfExists;
import io.lifeboat.events.MovedAside;
import io.lifeboat.events.PrepareOutcome;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryRequested;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.ResolvedComponent;
import io.lifeboat.events.RestoreOutcome;
import io.lifeboat.events.RestoreStepSpec;
import io.lifeboat.events.StepAction;
import io.lifeboat.events.StepStatus;
import io.lifeboat.recovery.plan.Estimates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecoverySagaTest {

  static final String PLAN =
      """
      name: shop
      rto: 1m
      rpo: 4h
      components:
        - name: db
          target: postgres://postgres@127.0.0.1:5432/shop
        - name: config
          target: /srv/shop/config
        - name: secrets
          target: /srv/shop/secrets
      checks:
        - name: orders
          sql: select count(*) from orders
          component: db
          expect: "200"
        - name: api
          http: http://127.0.0.1:8080/health
      """;

  final RecoverySaga saga = new RecoverySaga(Estimates::defaults, Duration.ofMinutes(10));
  Instant now = Instant.parse("2026-11-25T10:00:00Z");
  RecoveryExecution state;
  final List<RecoveryStepCommand> sent = new ArrayList<>();
  final List<Alert> alerts = new ArrayList<>();

  Transition apply(Transition t) {
    if (t.changed()) {
      state = t.execution();
    }
    sent.addAll(t.commands());
    alerts.addAll(t.alerts());
    return t;
  }

  void request(RecoveryMode mode) {
    RecoveryRequested r =
        RecoveryRequested.newBuilder()
            .setEnvelope(Envelopes.next("x-1"))
            .setExecutionId("x-1")
            .setPlanName("shop")
            .setMode(mode)
            .build();
    r.getEnvelope().setTime(now);
    apply(saga.request(r, Optional.of(PLAN), state, now));
  }

  RecoveryStepCommand last() {
    return sent.get(sent.size() - 1);
  }

  /** The executor answers the command in flight, with what it reports (a step outcome, or null). */
  Transition answer(boolean ok, String message, Object outcome) {
    return answer(ok, message, outcome, true);
  }

  /**
   * @param undone false: the step failed and could not undo its own changes
   */
  Transition answer(boolean ok, String message, Object outcome, boolean undone) {
    now = now.plusSeconds(2);
    RecoveryStepCommand c = last();
    return apply(
        saga.result(
            state,
            RecoveryStepResult.newBuilder()
                .setEnvelope(Envelopes.next("x-1"))
                .setExecutionId("x-1")
                .setCommandId(c.getCommandId())
                .setStepId(c.getStep().getStepId())
                .setAction(c.getAction())
                .setSucceeded(ok)
                .setMessage(message)
                .setOutcome(outcome)
                .setUndone(undone)
                .setBytes(ok ? 1000 : 0)
                .build(),
            now));
  }

  static PrepareOutcome prepared() {
    return prepared("2026-11-25T07:00:00Z");
  }

  /**
   * What prepare resolves for the shop plan; the config backup was completed at {@code configAt}.
   */
  static PrepareOutcome prepared(String configAt) {
    List<ResolvedComponent> found = new ArrayList<>();
    String[][] comps = {
      {"db", "postgres", "2026-11-25T09:30:00Z"},
      {"config", "config", configAt},
      {"secrets", "secrets", "2026-11-25T07:00:00Z"}
    };
    for (String[] c : comps) {
      found.add(
          ResolvedComponent.newBuilder()
              .setName(c[0])
              .setKind(c[1])
              .setBackupId("b-" + c[0])
              .setSizeBytes(1000)
              .setTarget("/t/" + c[0])
              .setCompletedAt(Instant.parse(c[2]))
              .build());
    }
    return PrepareOutcome.newBuilder().setComponents(found).build();
  }

  static RestoreOutcome keptAside() {
    return RestoreOutcome.newBuilder()
        .setAside(
            MovedAside.newBuilder()
                .setKind("secrets")
                .setTarget("/t/secrets")
                .setLocation("/t/secrets.aside")
                .setMovedAt(Instant.parse("2026-11-25T10:00:00Z"))
                .build())
        .build();
  }

  List<String> sentSteps() {
    return sent.stream().map(c -> c.getAction() + " " + c.getStep().getStepId()).toList();
  }

  @Test
  void execute_runsStepsInDependencyOrder_oneAtATime_andMeasuresTheRto() {
    request(RecoveryMode.EXECUTE);
    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.VALIDATING);
    answer(true, "ok", prepared());
    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.RUNNING);
    RecoveryStep db =
        state.getSteps().stream()
            .filter(s -> s.getStepId().equals("restore:db"))
            .findFirst()
            .orElseThrow();
    assertThat(db.getDependsOn()).containsExactly("prepare", "restore:config", "restore:secrets");
    RestoreStepSpec dbSpec = (RestoreStepSpec) db.getSpec();
    assertThat(dbSpec.getIfExists()).isEqualTo(IfExists.REPLACE);
    assertThat(dbSpec.getBackupId()).isEqualTo("b-db");

    answer(true, "restored", keptAside());
    answer(true, "restored", null);
    answer(true, "restored", null);
    answer(true, "200", null);
    answer(true, "200 OK", null);

    assertThat(sentSteps())
        .containsExactly(
            "RUN prepare",
            "RUN restore:secrets",
            "RUN restore:config",
            "RUN restore:db",
            "RUN check:orders",
            "RUN check:api");
    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.SUCCEEDED);
    assertThat(state.getRtoMs()).isEqualTo(12_000);
    assertThat(state.getObjectiveRtoMs()).isEqualTo(60_000);
    assertThat(state.getEstimatedMs()).isPositive();
    assertThat(state.getSteps()).allMatch(s -> s.getStatus() == StepStatus.SUCCEEDED);
    assertThat(state.getSteps().get(1).getOutcome()).isEqualTo(keptAside());
    assertThat(alerts).isEmpty();
  }

  @Test
  void aFailedStep_compensatesEveryFinishedRestore_newestFirst_andSkipsTheRest() {
    request(RecoveryMode.EXECUTE);
    answer(true, "ok", prepared());
    answer(true, "restored", null);
    answer(true, "restored", null);
    answer(false, "pg_restore: error: could not connect", null);
    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.COMPENSATING);
    answer(true, "original put back", null);
    answer(true, "original put back", null);

    assertThat(sentSteps())
        .containsExactly(
            "RUN prepare",
            "RUN restore:secrets",
            "RUN restore:config",
            "RUN restore:db",
            "COMPENSATE restore:config",
            "COMPENSATE restore:secrets");
    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.FAILED);
    assertThat(state.getRolledBack()).isTrue();
    assertThat(state.getReason()).contains("restore:db failed: pg_restore: error");
    assertThat(state.getSteps())
        .extracting(s -> s.getStepId() + "=" + s.getStatus())
        .containsExactly(
            "prepare=SUCCEEDED",
            "restore:secrets=COMPENSATED",
            "restore:config=COMPENSATED",
            "restore:db=FAILED",
            "check:orders=SKIPPED",
            "check:api=SKIPPED");
    assertThat(alerts)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getKind()).isEqualTo("recovery.failed");
              assertThat(a.getMessage()).contains("every change was rolled back");
            });
  }

  @Test
  void aCompensationThatFails_isReported_andTheRestStillRun() {
    request(RecoveryMode.EXECUTE);
    answer(true, "ok", prepared());
    answer(true, "restored", null);
    answer(true, "restored", null);
    answer(false, "boom", null);
    answer(false, "aside vanished", null);
    answer(true, "put back", null);

    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.FAILED);
    assertThat(state.getRolledBack()).isFalse();
    assertThat(alerts)
        .extracting(Alert::getKind)
        .containsExactly("recovery.compensation-failed", "recovery.failed");
  }

  @Test
  void test_usesScratchTargets_skipsHttpChecks_andAlwaysTearsDown() {
    request(RecoveryMode.TEST);
    answer(true, "ok", prepared());
    assertThat(state.getSteps())
        .filteredOn(s -> s.getSpec() instanceof RestoreStepSpec)
        .hasSize(3)
        .allMatch(
            s ->
                ((RestoreStepSpec) s.getSpec()).getScratch()
                    && ((RestoreStepSpec) s.getSpec()).getIfExists() == IfExists.REFUSE);
    answer(true, "", null);
    answer(true, "", null);
    answer(true, "", null);
    answer(true, "200", null);
    answer(true, "dropped", null);
    answer(true, "dropped", null);
    answer(true, "dropped", null);

    assertThat(sentSteps())
        .containsExactly(
            "RUN prepare",
            "RUN restore:secrets",
            "RUN restore:config",
            "RUN restore:db",
            "RUN check:orders",
            "COMPENSATE restore:db",
            "COMPENSATE restore:config",
            "COMPENSATE restore:secrets");
    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.SUCCEEDED);
    assertThat(state.getRtoMs()).as("measured before tear-down").isEqualTo(10_000);
    assertThat(state.getSteps())
        .filteredOn(s -> s.getStepId().equals("check:api"))
        .singleElement()
        .satisfies(s -> assertThat(s.getStatus()).isEqualTo(StepStatus.SKIPPED));
  }

  @Test
  void aFailedStepThatCouldNotUndoItself_meansTheRecoveryIsNotRolledBack() {
    request(RecoveryMode.EXECUTE);
    answer(true, "ok", prepared());
    answer(true, "secrets in", null);
    answer(true, "config in", null);
    answer(false, "restoring db failed; db: ROLLBACK FAILED: server gone", null, false);
    answer(true, "config put back", null);
    answer(true, "secrets put back", null);

    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.FAILED);
    assertThat(state.getRolledBack()).isFalse();
    assertThat(state.getSteps())
        .filteredOn(s -> s.getStepId().equals("restore:db"))
        .singleElement()
        .satisfies(s -> assertThat(s.getStatus()).isEqualTo(StepStatus.COMPENSATION_FAILED));
    assertThat(alerts)
        .filteredOn(a -> a.getKind().equals("recovery.failed"))
        .singleElement()
        .satisfies(
            a -> assertThat(a.getMessage()).contains("SOME CHANGES COULD NOT BE ROLLED BACK"));
  }

  @Test
  void aTestWhoseScratchTargetsCannotBeRemoved_fails_andAlerts() {
    request(RecoveryMode.TEST);
    answer(true, "ok", prepared());
    for (int i = 0; i < 4; i++) {
      answer(true, "", null);
    }
    answer(true, "dropped", null);
    answer(false, "cannot remove /scratch/config: permission denied", null);
    answer(true, "dropped", null);

    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.FAILED);
    assertThat(state.getRolledBack()).isFalse();
    assertThat(state.getReason()).contains("scratch targets could not be removed");
    assertThat(alerts)
        .extracting(Alert::getKind)
        .contains("recovery.compensation-failed", "recovery.test-failed");
  }

  @Test
  void validation_problems_endTheExecutionInvalid_withEveryProblem_andTouchNothing() {
    request(RecoveryMode.EXECUTE);
    now = now.plusSeconds(1);
    apply(
        saga.result(
            state,
            RecoveryStepResult.newBuilder()
                .setEnvelope(Envelopes.next("x-1"))
                .setExecutionId("x-1")
                .setCommandId(last().getCommandId())
                .setStepId("prepare")
                .setAction(StepAction.RUN)
                .setSucceeded(false)
                .setMessage("3 problems")
                .setProblems(
                    List.of("no backup holds db", "target unreachable", "pg_restore not found"))
                .build(),
            now));

    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.INVALID);
    assertThat(state.getProblems()).hasSize(3);
    assertThat(sent).hasSize(1);
    assertThat(alerts).extracting(Alert::getKind).containsExactly("recovery.invalid");
  }

  @Test
  void validate_stopsAfterPrepare_showingThePlannedSteps() {
    request(RecoveryMode.VALIDATE);
    answer(true, "ok", prepared());

    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.SUCCEEDED);
    assertThat(sent).hasSize(1);
    assertThat(state.getSteps()).hasSize(6);
    assertThat(state.getSteps().subList(1, 6)).allMatch(s -> s.getStatus() == StepStatus.SKIPPED);
  }

  @Test
  void duplicateAndStaleResults_areIgnored() {
    request(RecoveryMode.EXECUTE);
    RecoveryStepCommand prepare = last();
    answer(true, "ok", prepared());
    RecoveryExecution before = state;

    Transition dup =
        saga.result(
            state,
            RecoveryStepResult.newBuilder()
                .setEnvelope(Envelopes.next("x-1"))
                .setExecutionId("x-1")
                .setCommandId(prepare.getCommandId())
                .setStepId("prepare")
                .setAction(StepAction.RUN)
                .setSucceeded(true)
                .build(),
            now);

    assertThat(dup.changed()).isFalse();
    assertThat(state).isSameAs(before);
  }

  @Test
  void rollback_ofAFinishedRecovery_compensatesEveryRestore_andARepeatIsRefused() {
    execute_runsStepsInDependencyOrder_oneAtATime_andMeasuresTheRto();
    sent.clear();
    request(RecoveryMode.ROLLBACK);
    answer(true, "", null);
    answer(true, "", null);
    answer(true, "", null);

    assertThat(sentSteps())
        .containsExactly(
            "COMPENSATE restore:db", "COMPENSATE restore:config", "COMPENSATE restore:secrets");
    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.ROLLED_BACK);
    assertThat(state.getRolledBack()).isTrue();

    request(RecoveryMode.ROLLBACK);
    assertThat(state.getNotice()).contains("rollback refused").contains("ROLLED_BACK");
    assertThat(sent).hasSize(3);
  }

  @Test
  void aRefusedRollback_leavesTheRecoveryAsItWas_withTheReasonAsItsNotice() {
    execute_runsStepsInDependencyOrder_oneAtATime_andMeasuresTheRto();
    sent.clear();
    RecoveryRequested r =
        RecoveryRequested.newBuilder()
            .setEnvelope(Envelopes.next("x-1"))
            .setExecutionId("x-1")
            .setPlanName("")
            .setMode(RecoveryMode.ROLLBACK)
            .build();
    apply(saga.refuse(r, state, "refused: otto (operator) may not recovery.rollback", now));

    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.SUCCEEDED);
    assertThat(state.getRolledBack()).isFalse();
    assertThat(state.getNotice()).contains("may not recovery.rollback");
    assertThat(sent).isEmpty();
  }

  @Test
  void aStepWithoutAnswer_failsAfterTheTimeout() {
    request(RecoveryMode.EXECUTE);
    answer(true, "ok", prepared());
    assertThat(apply(saga.tick(state, now.plus(Duration.ofMinutes(9)))).changed()).isFalse();

    apply(saga.tick(state, now.plus(Duration.ofMinutes(11))));

    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.FAILED);
    assertThat(state.getReason()).contains("no executor answered");
  }

  @Test
  void anRtoOverTheObjective_raisesAnAlert() {
    request(RecoveryMode.EXECUTE);
    answer(true, "ok", prepared());
    answer(true, "", null);
    answer(true, "", null);
    now = now.plusSeconds(120);
    answer(true, "", null);
    answer(true, "", null);
    answer(true, "", null);

    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.SUCCEEDED);
    assertThat(alerts)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getKind()).isEqualTo("recovery.rto-breached");
              assertThat(a.getMessage()).contains("over its RTO objective of 60 s");
            });
  }

  @Test
  void theRpo_isTheAgeOfTheOldestBackupUsed_andOverTheObjectiveItIsAlerted() {
    request(RecoveryMode.EXECUTE);
    answer(true, "ok", prepared());

    assertThat(state.getDataAsOf()).isEqualTo(Instant.parse("2026-11-25T07:00:00Z"));
    assertThat(state.getRpoMs()).isEqualTo(Duration.ofHours(3).toMillis());
    assertThat(state.getObjectiveRpoMs()).isEqualTo(Duration.ofHours(4).toMillis());
    assertThat(alerts).extracting(Alert::getKind).doesNotContain("recovery.rpo-breached");
  }

  @Test
  void anRpoOverTheObjective_isAlerted() {
    request(RecoveryMode.TEST);
    answer(true, "ok", prepared("2026-11-25T05:00:00Z"));

    assertThat(state.getRpoMs()).isEqualTo(Duration.ofHours(5).toMillis());
    assertThat(alerts)
        .filteredOn(a -> a.getKind().equals("recovery.rpo-breached"))
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.getMessage())
                    .contains("as of 2026-11-25T05:00:00Z")
                    .contains("5h old")
                    .contains("4h"));
  }

  @Test
  void aRequestOlderThanTheMaxAge_isNotRun_butAnsweredExpired() {
    RecoveryRequested r =
        RecoveryRequested.newBuilder()
            .setEnvelope(Envelopes.next("x-1"))
            .setExecutionId("x-1")
            .setPlanName("shop")
            .setMode(RecoveryMode.EXECUTE)
            .build();
    r.getEnvelope().setTime(now.minus(Duration.ofHours(2)));
    apply(saga.request(r, Optional.of(PLAN), null, now));

    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.INVALID);
    assertThat(state.getReason()).contains("the request expired");
    assertThat(sent).isEmpty();
  }

  @Test
  void anUnknownPlan_orABrokenOne_isInvalid() {
    RecoveryRequested r =
        RecoveryRequested.newBuilder()
            .setEnvelope(Envelopes.next("x-2"))
            .setExecutionId("x-2")
            .setPlanName("nope")
            .setMode(RecoveryMode.EXECUTE)
            .build();
    apply(saga.request(r, Optional.empty(), null, now));
    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.INVALID);
    assertThat(state.getReason()).contains("no recovery plan named 'nope'");
  }

  @Test
  void aDeprecatedPlan_isRefusedUnlessForced() {
    String deprecated = PLAN + "deprecated: true\n";
    RecoveryRequested plain =
        RecoveryRequested.newBuilder()
            .setEnvelope(Envelopes.next("x-3"))
            .setExecutionId("x-3")
            .setPlanName("shop")
            .setMode(RecoveryMode.VALIDATE)
            .build();
    plain.getEnvelope().setTime(now);
    apply(saga.request(plain, Optional.of(deprecated), null, now));
    assertThat(state.getStatus()).isEqualTo(RecoveryStatus.INVALID);
    assertThat(state.getReason()).contains("shop is deprecated").contains("--force");
    assertThat(sent).isEmpty();

    RecoveryRequested forced =
        RecoveryRequested.newBuilder(plain)
            .setEnvelope(Envelopes.next("x-4"))
            .setExecutionId("x-4")
            .setForce(true)
            .build();
    forced.getEnvelope().setTime(now);
    apply(saga.request(forced, Optional.of(deprecated), null, now));
    assertThat(state.getStatus()).isNotEqualTo(RecoveryStatus.INVALID);
    assertThat(last().getStep().getStepId()).isEqualTo("prepare");
  }
}
