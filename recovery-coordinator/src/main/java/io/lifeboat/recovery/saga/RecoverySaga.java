package io.lifeboat.recovery.saga;

import io.lifeboat.events.Alert;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.PrepareOutcome;
import io.lifeboat.events.PrepareStepSpec;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryRequested;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.ResolvedComponent;
import io.lifeboat.events.Severity;
import io.lifeboat.events.StepAction;
import io.lifeboat.events.StepStatus;
import io.lifeboat.model.RecoveryPlanSpec;
import io.lifeboat.recovery.plan.Estimates;
import io.lifeboat.recovery.plan.Planner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The recovery saga, without Kafka: each input (a request, a step result, the clock) turns the
 * current state of one execution into the next state, the step commands to publish and the alerts
 * to raise. The state is everything: a coordinator that restarts continues from it.
 *
 * <p>Steps run one at a time in plan order (prepare, restores, checks). When a step fails, every
 * restore that finished is compensated, newest first (the executor already undid the failed step's
 * own work), and the execution ends FAILED with {@code rolledBack} telling whether every change was
 * undone. A TEST execution always ends by compensating its restores, which removes the scratch
 * targets. A finished EXECUTE can be rolled back on request the same way.
 */
public final class RecoverySaga {

  private final Supplier<Estimates> estimates;
  private final Duration stepTimeout;
  private final Duration requestMaxAge;

  /**
   * @param estimates current step duration estimates
   * @param stepTimeout how long to wait for an executor's answer before the step counts as failed
   */
  public RecoverySaga(Supplier<Estimates> estimates, Duration stepTimeout) {
    this(estimates, stepTimeout, Duration.ofHours(1));
  }

  /**
   * @param requestMaxAge a request older than this when first seen is answered INVALID (expired),
   *     not run
   */
  public RecoverySaga(Supplier<Estimates> estimates, Duration stepTimeout, Duration requestMaxAge) {
    this.estimates = estimates;
    this.stepTimeout = stepTimeout;
    this.requestMaxAge = requestMaxAge;
  }

  /**
   * Answers a request that must not run: INVALID with the reason, nothing sent to an executor. A
   * refused rollback leaves its execution as it was, with the reason as its notice; any other
   * request for an execution that exists already changes nothing.
   */
  public Transition refuse(
      RecoveryRequested request, RecoveryExecution current, String reason, Instant now) {
    if (current != null) {
      if (request.getMode() != RecoveryMode.ROLLBACK) {
        return Transition.none();
      }
      return new Transition(
          RecoveryExecution.newBuilder(current)
              .setEnvelope(Envelopes.next(current.getExecutionId()))
              .setNotice(reason)
              .build(),
          List.of(),
          List.of());
    }
    return invalid(
        RecoveryExecution.newBuilder()
            .setEnvelope(Envelopes.next(request.getExecutionId()))
            .setExecutionId(request.getExecutionId())
            .setPlanName(request.getPlanName())
            .setMode(request.getMode())
            .setStatus(RecoveryStatus.PENDING)
            .setRequestedAt(request.getEnvelope().getTime()),
        reason,
        List.of(),
        now);
  }

  /** A new execution (EXECUTE, TEST, VALIDATE) of the plan, or a rollback of an existing one. */
  public Transition request(
      RecoveryRequested request,
      Optional<String> planDefinition,
      RecoveryExecution current,
      Instant now) {
    if (request.getMode() == RecoveryMode.ROLLBACK) {
      return rollback(request, current, now);
    }
    if (current != null) {
      return Transition.none();
    }
    RecoveryExecution.Builder x =
        RecoveryExecution.newBuilder()
            .setEnvelope(Envelopes.next(request.getExecutionId()))
            .setExecutionId(request.getExecutionId())
            .setPlanName(request.getPlanName())
            .setMode(request.getMode())
            .setStatus(RecoveryStatus.PENDING)
            .setAt(request.getAt())
            .setBackupId(request.getBackupId())
            .setRequestedAt(request.getEnvelope().getTime());
    Instant sent = request.getEnvelope().getTime();
    if (sent.plus(requestMaxAge).isBefore(now)) {
      return invalid(
          x,
          "the request expired: sent at "
              + sent
              + ", more than "
              + human(requestMaxAge)
              + " before the coordinator saw it (was it down?); request it again",
          List.of(),
          now);
    }
    if (planDefinition.isEmpty()) {
      return invalid(
          x,
          "no recovery plan named " + io.lifeboat.model.Quoted.brief(request.getPlanName()),
          List.of(),
          now);
    }
    RecoveryPlanSpec plan;
    try {
      plan = RecoveryPlanSpec.parse(planDefinition.get());
    } catch (IllegalArgumentException e) {
      return invalid(
          x,
          "plan " + request.getPlanName() + " cannot be read: " + e.getMessage(),
          List.of(),
          now);
    }
    if (request.getEnvironment() != null) {
      try {
        plan = plan.forEnvironment(request.getEnvironment());
      } catch (IllegalArgumentException e) {
        return invalid(x, String.valueOf(e.getMessage()), List.of(), now);
      }
    }
    x.setPlan(plan.toJson()).setEnvironment(plan.environment() == null ? "" : plan.environment());
    if (plan.retired() && !request.getForce()) {
      return invalid(
          x,
          "plan "
              + plan.name()
              + " is deprecated: it runs only when forced (lifeboat recover/plan test --force,"
              + " or force=true in the API), or after defining it again",
          List.of(),
          now);
    }
    List<String> problems = plan.problems();
    if (!problems.isEmpty()) {
      return invalid(
          x, "plan " + plan.name() + " has " + problems.size() + " problem(s)", problems, now);
    }
    Instant at =
        request.getAt() != null
            ? request.getAt()
            : request.getBackupId() == null ? plan.pointInTime().orElse(null) : null;
    String backupId =
        request.getBackupId() != null ? request.getBackupId() : at == null ? plan.backup() : null;
    x.setAt(at).setBackupId(backupId);
    plan.rtoObjective().ifPresent(d -> x.setObjectiveRtoMs(d.toMillis()));
    plan.rpoObjective().ifPresent(d -> x.setObjectiveRpoMs(d.toMillis()));
    RecoveryStep prepare =
        Planner.prepare(plan, at, backupId, request.getRequestedBy(), estimates.get());
    x.setSteps(List.of(prepare))
        .setEstimatedMs(prepare.getEstimateMs())
        .setStatus(RecoveryStatus.VALIDATING);
    List<RecoveryStepCommand> commands = new ArrayList<>();
    RecoveryExecution started =
        dispatch(x.build(), prepare.getStepId(), StepAction.RUN, now, commands);
    return new Transition(started, commands, List.of());
  }

  /**
   * An executor's answer. Answers to anything but the command in flight are duplicates: ignored.
   */
  public Transition result(RecoveryExecution current, RecoveryStepResult result, Instant now) {
    if (current == null
        || current.getInFlightCommand() == null
        || !current.getInFlightCommand().equals(result.getCommandId())) {
      return Transition.none();
    }
    RecoveryExecution.Builder x =
        RecoveryExecution.newBuilder(current).setInFlightCommand(null).setInFlightSince(null);
    List<RecoveryStep> steps = new ArrayList<>(current.getSteps());
    int i = indexOf(steps, result.getStepId());
    RecoveryStep.Builder step = RecoveryStep.newBuilder(steps.get(i));
    long took =
        result.getDurationMs() > 0
            ? result.getDurationMs()
            : step.getStartedAt() == null
                ? 0
                : Duration.between(step.getStartedAt(), now).toMillis();
    List<Alert> alerts = new ArrayList<>();
    if (result.getAction() == StepAction.RUN) {
      // a failed step that could not undo itself (or whose fate is unknown) leaves a target
      // changed: say so
      boolean leftChanges = !result.getSucceeded() && !result.getUndone();
      step.setDurationMs(took)
          .setBytes(result.getBytes())
          .setMessage(result.getMessage())
          .setOutcome(result.getOutcome() != null ? result.getOutcome() : step.getOutcome())
          .setStatus(
              result.getSucceeded()
                  ? StepStatus.SUCCEEDED
                  : leftChanges ? StepStatus.COMPENSATION_FAILED : StepStatus.FAILED);
      steps.set(i, step.build());
      if (leftChanges) {
        alerts.add(
            alert(
                current,
                Severity.CRITICAL,
                "recovery.compensation-failed",
                "step "
                    + step.getStepId()
                    + " of "
                    + current.getExecutionId()
                    + " failed and could not undo its changes: "
                    + result.getMessage()));
      }
      x.setSteps(steps);
      if (step.getSpec() instanceof PrepareStepSpec) {
        return afterPrepare(x, step.build(), result, now);
      }
      if (!result.getSucceeded()) {
        x.setReason("step " + step.getStepId() + " failed: " + result.getMessage());
        x.setProblems(result.getProblems());
        skipPending(x);
        return next(x.setStatus(RecoveryStatus.COMPENSATING).build(), now, alerts);
      }
      return next(x.build(), now, alerts);
    }
    step.setCompensationMs(took)
        .setStatus(result.getSucceeded() ? StepStatus.COMPENSATED : StepStatus.COMPENSATION_FAILED)
        .setMessage(
            result.getSucceeded()
                ? result.getMessage()
                : "compensation failed: " + result.getMessage());
    steps.set(i, step.build());
    x.setSteps(steps);
    if (!result.getSucceeded()) {
      alerts.add(
          alert(
              current,
              Severity.CRITICAL,
              "recovery.compensation-failed",
              "could not undo "
                  + step.getStepId()
                  + " of "
                  + current.getExecutionId()
                  + ": "
                  + result.getMessage()));
    }
    return next(x.build(), now, alerts);
  }

  /** The clock: a step whose executor has not answered within the timeout has failed. */
  public Transition tick(RecoveryExecution current, Instant now) {
    if (current == null
        || current.getInFlightCommand() == null
        || current.getInFlightSince() == null
        || Duration.between(current.getInFlightSince(), now).compareTo(stepTimeout) < 0) {
      return Transition.none();
    }
    RecoveryStep step =
        current.getSteps().stream()
            .filter(
                s ->
                    s.getStatus() == StepStatus.RUNNING || s.getStatus() == StepStatus.COMPENSATING)
            .findFirst()
            .orElseThrow();
    RecoveryStepResult timedOut =
        RecoveryStepResult.newBuilder()
            .setEnvelope(Envelopes.next(current.getExecutionId()))
            .setExecutionId(current.getExecutionId())
            .setCommandId(current.getInFlightCommand())
            .setStepId(step.getStepId())
            .setAction(
                step.getStatus() == StepStatus.RUNNING ? StepAction.RUN : StepAction.COMPENSATE)
            .setSucceeded(false)
            .setUndone(!(step.getCompensable() && step.getStatus() == StepStatus.RUNNING))
            .setMessage(
                "no executor answered within "
                    + human(stepTimeout)
                    + " (is a stage running the recovery executor?)")
            .build();
    return result(current, timedOut, now);
  }

  private Transition afterPrepare(
      RecoveryExecution.Builder x, RecoveryStep prepare, RecoveryStepResult result, Instant now) {
    if (!result.getSucceeded()) {
      List<String> problems =
          result.getProblems().isEmpty()
              ? List.of(String.valueOf(result.getMessage()))
              : result.getProblems();
      return invalid(x, "validation found " + problems.size() + " problem(s)", problems, now);
    }
    RecoveryPlanSpec plan = RecoveryPlanSpec.parse(x.getPlan());
    List<ResolvedComponent> found =
        prepare.getOutcome() instanceof PrepareOutcome o ? o.getComponents() : List.of();
    List<Alert> alerts = new ArrayList<>();
    found.stream()
        .map(ResolvedComponent::getCompletedAt)
        .min(java.util.Comparator.naturalOrder())
        .ifPresent(
            asOf -> {
              x.setDataAsOf(asOf)
                  .setRpoMs(Math.max(0, Duration.between(asOf, x.getRequestedAt()).toMillis()));
              if (x.getObjectiveRpoMs() > 0 && x.getRpoMs() > x.getObjectiveRpoMs()) {
                alerts.add(
                    alert(
                        x.build(),
                        Severity.WARNING,
                        "recovery.rpo-breached",
                        (x.getMode() == RecoveryMode.EXECUTE ? "recovery " : "plan ")
                            + x.getPlanName()
                            + " ("
                            + x.getExecutionId()
                            + ") restores data as of "
                            + asOf
                            + ": "
                            + human(Duration.ofMillis(x.getRpoMs()))
                            + " old, over its RPO objective of "
                            + human(Duration.ofMillis(x.getObjectiveRpoMs()))));
              }
            });
    Map<String, Planner.Resolved> resolved = new HashMap<>();
    for (ResolvedComponent c : found) {
      resolved.put(
          c.getName(),
          new Planner.Resolved(
              c.getKind(),
              c.getBackupId(),
              c.getSizeBytes(),
              c.getTarget(),
              c.getRecoveryTargetTime()));
    }
    if (!resolved
        .keySet()
        .containsAll(
            plan.components().stream().map(RecoveryPlanSpec.ComponentTarget::name).toList())) {
      return invalid(
          x,
          "the executor's prepare step did not resolve every component",
          List.of("prepare answered " + resolved.keySet()),
          now);
    }
    List<RecoveryStep> planned;
    try {
      planned = Planner.steps(plan, x.getMode(), resolved, estimates.get());
    } catch (IllegalArgumentException e) {
      return invalid(
          x,
          "plan " + plan.name() + " cannot be put in order: " + e.getMessage(),
          List.of(e.getMessage()),
          now);
    }
    List<RecoveryStep> steps = new ArrayList<>(x.getSteps());
    if (x.getMode() == RecoveryMode.VALIDATE) {
      planned.forEach(
          s ->
              steps.add(
                  RecoveryStep.newBuilder(s)
                      .setStatus(StepStatus.SKIPPED)
                      .setMessage("validation only")
                      .build()));
      long estimate = planned.stream().mapToLong(RecoveryStep::getEstimateMs).sum();
      return finish(
          x.setSteps(steps)
              .setEstimatedMs(prepare.getEstimateMs() + estimate)
              .setStatus(RecoveryStatus.SUCCEEDED),
          now,
          alerts);
    }
    steps.addAll(planned);
    long estimate = steps.stream().mapToLong(RecoveryStep::getEstimateMs).sum();
    return next(
        x.setSteps(steps).setEstimatedMs(estimate).setStatus(RecoveryStatus.RUNNING).build(),
        now,
        alerts);
  }

  private Transition rollback(RecoveryRequested request, RecoveryExecution current, Instant now) {
    if (current == null) {
      return Transition.none();
    }
    String refusal = null;
    if (current.getMode() != RecoveryMode.EXECUTE) {
      refusal =
          "only a recovery (EXECUTE) can be rolled back; "
              + current.getExecutionId()
              + " is a "
              + current.getMode();
    } else if (current.getStatus() != RecoveryStatus.SUCCEEDED) {
      refusal =
          "rollback refused: execution "
              + current.getExecutionId()
              + " is "
              + current.getStatus()
              + (current.getRolledBack() ? " and was already rolled back" : "");
    }
    if (refusal != null) {
      RecoveryExecution noted =
          RecoveryExecution.newBuilder(current)
              .setEnvelope(Envelopes.next(current.getExecutionId()))
              .setNotice(refusal)
              .build();
      return new Transition(noted, List.of(), List.of());
    }
    RecoveryExecution x =
        RecoveryExecution.newBuilder(current)
            .setStatus(RecoveryStatus.COMPENSATING)
            .setRollbackRequested(true)
            .setNotice(
                "rollback requested"
                    + (request.getRequestedBy().isEmpty() ? "" : " by " + request.getRequestedBy()))
            .build();
    return next(x, now, new ArrayList<>());
  }

  /** Dispatches what comes next, or finishes. */
  private Transition next(RecoveryExecution x, Instant now, List<Alert> alerts) {
    List<RecoveryStepCommand> commands = new ArrayList<>();
    if (x.getStatus() == RecoveryStatus.RUNNING) {
      Optional<RecoveryStep> ready =
          x.getSteps().stream()
              .filter(s -> s.getStatus() == StepStatus.PENDING)
              .filter(s -> s.getDependsOn().stream().allMatch(d -> done(x, d)))
              .findFirst();
      if (ready.isPresent()) {
        return new Transition(
            dispatch(x, ready.get().getStepId(), StepAction.RUN, now, commands), commands, alerts);
      }
      // every step done: the environment is back
      RecoveryExecution.Builder b =
          RecoveryExecution.newBuilder(x)
              .setRtoMs(Duration.between(x.getRequestedAt(), now).toMillis());
      rtoAlert(b, alerts);
      if (x.getMode() == RecoveryMode.TEST) {
        return next(b.setStatus(RecoveryStatus.COMPENSATING).build(), now, alerts);
      }
      return finish(b.setStatus(RecoveryStatus.SUCCEEDED), now, alerts);
    }
    if (x.getStatus() == RecoveryStatus.COMPENSATING) {
      List<RecoveryStep> steps = x.getSteps();
      for (int i = steps.size() - 1; i >= 0; i--) {
        RecoveryStep s = steps.get(i);
        if (s.getCompensable() && s.getStatus() == StepStatus.SUCCEEDED) {
          return new Transition(
              dispatch(x, s.getStepId(), StepAction.COMPENSATE, now, commands), commands, alerts);
        }
      }
      boolean undone =
          steps.stream().noneMatch(s -> s.getStatus() == StepStatus.COMPENSATION_FAILED);
      RecoveryExecution.Builder b = RecoveryExecution.newBuilder(x).setRolledBack(undone);
      if (x.getRollbackRequested()) {
        if (undone) {
          alerts.add(
              alert(
                  x,
                  Severity.INFO,
                  "recovery.rolled-back",
                  "recovery "
                      + x.getExecutionId()
                      + " of plan "
                      + x.getPlanName()
                      + " was rolled back: the originals are back in place"));
          return finish(b.setStatus(RecoveryStatus.ROLLED_BACK), now, alerts);
        }
        return finish(
            b.setStatus(RecoveryStatus.FAILED)
                .setReason("rollback incomplete: some originals could not be put back"),
            now,
            alerts);
      }
      if (x.getReason() == null && x.getMode() == RecoveryMode.TEST) {
        if (undone) {
          return finish(b.setStatus(RecoveryStatus.SUCCEEDED), now, alerts);
        }
        // the restore and checks passed, but scratch targets are left behind: say so, loudly
        b.setReason("the recovery test passed, but some scratch targets could not be removed");
      }
      String undoneText =
          undone ? "every change was rolled back" : "SOME CHANGES COULD NOT BE ROLLED BACK";
      alerts.add(
          alert(
              x,
              x.getMode() == RecoveryMode.TEST ? Severity.WARNING : Severity.CRITICAL,
              x.getMode() == RecoveryMode.TEST ? "recovery.test-failed" : "recovery.failed",
              (x.getMode() == RecoveryMode.TEST ? "recovery test " : "recovery ")
                  + x.getExecutionId()
                  + " of plan "
                  + x.getPlanName()
                  + " failed: "
                  + b.getReason()
                  + "; "
                  + undoneText));
      return finish(b.setStatus(RecoveryStatus.FAILED), now, alerts);
    }
    return new Transition(x, commands, alerts);
  }

  private static boolean done(RecoveryExecution x, String stepId) {
    return x.getSteps().stream()
        .anyMatch(
            s ->
                s.getStepId().equals(stepId)
                    && (s.getStatus() == StepStatus.SUCCEEDED
                        || s.getStatus() == StepStatus.SKIPPED));
  }

  private static void skipPending(RecoveryExecution.Builder x) {
    List<RecoveryStep> steps = new ArrayList<>();
    for (RecoveryStep s : x.getSteps()) {
      steps.add(
          s.getStatus() == StepStatus.PENDING
              ? RecoveryStep.newBuilder(s)
                  .setStatus(StepStatus.SKIPPED)
                  .setMessage("not run: an earlier step failed")
                  .build()
              : s);
    }
    x.setSteps(steps);
  }

  private void rtoAlert(RecoveryExecution.Builder b, List<Alert> alerts) {
    if (b.getObjectiveRtoMs() > 0 && b.getRtoMs() > b.getObjectiveRtoMs()) {
      alerts.add(
          alert(
              b.build(),
              Severity.WARNING,
              "recovery.rto-breached",
              (b.getMode() == RecoveryMode.TEST ? "recovery test " : "recovery ")
                  + b.getExecutionId()
                  + " of plan "
                  + b.getPlanName()
                  + " took "
                  + Duration.ofMillis(b.getRtoMs()).toSeconds()
                  + " s, over its RTO objective of "
                  + Duration.ofMillis(b.getObjectiveRtoMs()).toSeconds()
                  + " s"));
    }
  }

  private static RecoveryExecution dispatch(
      RecoveryExecution x,
      String stepId,
      StepAction action,
      Instant now,
      List<RecoveryStepCommand> out) {
    List<RecoveryStep> steps = new ArrayList<>(x.getSteps());
    int i = indexOf(steps, stepId);
    RecoveryStep.Builder s = RecoveryStep.newBuilder(steps.get(i));
    if (action == StepAction.RUN) {
      s.setStatus(StepStatus.RUNNING).setStartedAt(now);
    } else {
      s.setStatus(StepStatus.COMPENSATING);
    }
    steps.set(i, s.build());
    String commandId = x.getExecutionId() + "/" + x.getNextCommand();
    out.add(
        RecoveryStepCommand.newBuilder()
            .setEnvelope(Envelopes.next(x.getExecutionId()))
            .setExecutionId(x.getExecutionId())
            .setCommandId(commandId)
            .setMode(x.getMode())
            .setAction(action)
            .setStep(s.build())
            .build());
    return RecoveryExecution.newBuilder(x)
        .setEnvelope(Envelopes.next(x.getExecutionId()))
        .setSteps(steps)
        .setNextCommand(x.getNextCommand() + 1)
        .setInFlightCommand(commandId)
        .setInFlightSince(now)
        .build();
  }

  private Transition invalid(
      RecoveryExecution.Builder x, String reason, List<String> problems, Instant now) {
    x.setStatus(RecoveryStatus.INVALID).setReason(reason).setProblems(problems);
    if (!x.hasSteps()) {
      x.setSteps(List.of());
    }
    List<Alert> alerts = new ArrayList<>();
    RecoveryExecution built = x.setEnvelope(Envelopes.next(x.getExecutionId())).build();
    if (built.getMode() != RecoveryMode.VALIDATE) {
      alerts.add(
          alert(
              built,
              Severity.WARNING,
              "recovery.invalid",
              (built.getMode() == RecoveryMode.TEST ? "recovery test " : "recovery ")
                  + built.getExecutionId()
                  + " of plan "
                  + built.getPlanName()
                  + " did not start: "
                  + reason
                  + (problems.isEmpty() ? "" : ": " + String.join("; ", problems))));
    }
    return finish(x, now, alerts);
  }

  private static Transition finish(RecoveryExecution.Builder x, Instant now, List<Alert> alerts) {
    RecoveryExecution done =
        x.setEnvelope(Envelopes.next(x.getExecutionId()))
            .setCompletedAt(now)
            .setInFlightCommand(null)
            .setInFlightSince(null)
            .build();
    return new Transition(done, List.of(), alerts);
  }

  private static int indexOf(List<RecoveryStep> steps, String stepId) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).getStepId().equals(stepId)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no step " + stepId);
  }

  private static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }

  /** An alert for an input the coordinator could not process (it carries on with the next one). */
  public static Alert internalError(String executionId, String message) {
    return Alert.newBuilder()
        .setEnvelope(Envelopes.next(executionId))
        .setSeverity(Severity.CRITICAL)
        .setKind("recovery.coordinator-error")
        .setSubject(executionId)
        .setMessage(message)
        .setLabels(Map.of())
        .build();
  }

  private static Alert alert(RecoveryExecution x, Severity severity, String kind, String message) {
    return Alert.newBuilder()
        .setEnvelope(Envelopes.next(x.getExecutionId()))
        .setSeverity(severity)
        .setKind(kind)
        .setSubject(x.getExecutionId())
        .setMessage(message)
        .setLabels(Map.of("plan", x.getPlanName(), "mode", x.getMode().name()))
        .build();
  }
}
