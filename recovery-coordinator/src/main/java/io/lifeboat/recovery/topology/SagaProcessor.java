package io.lifeboat.recovery.topology;

import io.lifeboat.events.Alert;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryRequested;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.recovery.plan.Estimates;
import io.lifeboat.recovery.saga.RecoverySaga;
import io.lifeboat.recovery.saga.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glue between Kafka Streams and {@link RecoverySaga}: requests and step results in (keyed by
 * execution id), the execution's state in the store, commands, execution updates and alerts out.
 * Under exactly-once processing the store update and the outputs of one input commit together, so a
 * coordinator that dies and restarts neither loses a step nor sends one twice.
 */
final class SagaProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(SagaProcessor.class);
  private static final Duration ESTIMATES_TTL = Duration.ofMinutes(1);

  private final Duration stepTimeout;
  private final Duration requestMaxAge;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, RecoveryExecution> executions;
  private KeyValueStore<String, String> plans;
  private RecoverySaga saga;
  private @Nullable Estimates estimates;
  private Instant estimatesAt = Instant.EPOCH;
  private final java.util.Set<String> tickFailures = new java.util.HashSet<>();

  private final byte[] commandKey;

  private final CoordinatorTopology.RequestSecurity security;

  SagaProcessor(
      Duration stepTimeout,
      Duration requestMaxAge,
      byte[] commandKey,
      CoordinatorTopology.RequestSecurity security) {
    this.stepTimeout = stepTimeout;
    this.requestMaxAge = requestMaxAge;
    this.commandKey = commandKey;
    this.security = security;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.executions = context.getStateStore(CoordinatorStores.EXECUTIONS);
    this.plans = context.getStateStore(CoordinatorStores.PLANS);
    this.saga = new RecoverySaga(this::estimates, stepTimeout, requestMaxAge);
    context.schedule(Duration.ofSeconds(5), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    Instant now = Instant.now();
    Transition t;
    try {
      if (record.value() instanceof RecoveryRequested r) {
        String key = r.getExecutionId();
        // a repeated request for a known execution is the saga's to ignore; a rollback names one
        String refused =
            executions.get(key) == null || r.getMode() == io.lifeboat.events.RecoveryMode.ROLLBACK
                ? refusal(record, r)
                : "";
        if (r.getPlan() != null
            && !io.lifeboat.recovery.saga.InlinePlans.signedBy(
                commandKey, key, r.getPlan(), r.getPlanSignature())) {
          t =
              saga.refuse(
                  r,
                  executions.get(key),
                  "a plan given with a request is run only when the coordinator's API made it"
                      + " (this one is not signed with the recovery command key); define the plan"
                      + " and run it by name",
                  now);
        } else if (!refused.isEmpty()) {
          t = saga.refuse(r, executions.get(key), refused, now);
        } else {
          t =
              saga.request(
                  r,
                  // a plan given with the request (the API's restore of one backup), or a stored
                  // one
                  Optional.ofNullable(
                      r.getPlan() != null ? r.getPlan() : plans.get(r.getPlanName())),
                  executions.get(key),
                  now);
        }
      } else if (record.value() instanceof RecoveryStepResult r) {
        t = saga.result(executions.get(r.getExecutionId()), r, now);
      } else {
        return;
      }
    } catch (RuntimeException e) {
      // one bad input must not stop every recovery: say so loudly and carry on
      LOG.error(
          "recovery {}: cannot process {}",
          record.key(),
          record.value().getClass().getSimpleName(),
          e);
      context.forward(
          new Record<>(
              record.key(),
              (SpecificRecord)
                  RecoverySaga.internalError(
                      record.key(),
                      "the recovery coordinator could not process a "
                          + record.value().getClass().getSimpleName()
                          + " of execution "
                          + record.key()
                          + ": "
                          + e),
              record.timestamp()),
          CoordinatorTopology.ALERTS_SINK);
      return;
    }
    apply(t, record.timestamp());
  }

  /**
   * Roles over Kafka: why this request may not run (its sender's role does not cover it), or empty.
   * A rollback and a recovery into production are an admin's; the rest an operator's.
   */
  private String refusal(Record<String, SpecificRecord> record, RecoveryRequested r) {
    if (!security.guard().enforced()) {
      return "";
    }
    io.lifeboat.stage.common.auth.Operation op;
    io.lifeboat.stage.common.auth.Role role = io.lifeboat.stage.common.auth.Role.OPERATOR;
    String why = "";
    if (r.getMode() == io.lifeboat.events.RecoveryMode.ROLLBACK) {
      op = io.lifeboat.stage.common.auth.Operation.ROLLBACK;
      role = io.lifeboat.stage.common.auth.Role.ADMIN;
    } else {
      op =
          r.getPlan() != null
              ? io.lifeboat.stage.common.auth.Operation.RESTORE
              : io.lifeboat.stage.common.auth.Operation.RECOVER;
      String plan = r.getPlan() != null ? r.getPlan() : plans.get(r.getPlanName());
      if (r.getMode() == io.lifeboat.events.RecoveryMode.EXECUTE
          && plan != null
          && io.lifeboat.recovery.plan.ProductionPlans.execute(
              security.access(), plan, r.getEnvironment())) {
        role = io.lifeboat.stage.common.auth.Role.ADMIN;
        why = "plan " + r.getPlanName() + " recovers into production";
      }
    }
    var decision =
        security
            .guard()
            .check(
                io.lifeboat.events.Topics.RECOVERY_REQUESTS.name(),
                record.key(),
                record.headers(),
                op,
                role,
                why,
                r.getExecutionId());
    return decision.allowed() ? "" : decision.reason();
  }

  private void tick(long timestamp) {
    Instant now = Instant.now();
    List<Transition> due = new ArrayList<>();
    try (KeyValueIterator<String, RecoveryExecution> it = executions.all()) {
      while (it.hasNext()) {
        KeyValue<String, RecoveryExecution> kv = it.next();
        if (kv.value != null && kv.value.getInFlightCommand() != null) {
          try {
            Transition t = saga.tick(kv.value, now);
            if (t.changed()) {
              due.add(t);
            }
          } catch (RuntimeException e) {
            LOG.error("recovery {}: cannot check its step timeout", kv.key, e);
            if (!tickFailures.add(kv.key)) {
              continue; // alerted already (by this instance)
            }
            context.forward(
                new Record<>(
                    kv.key,
                    (SpecificRecord)
                        RecoverySaga.internalError(
                            kv.key,
                            "the recovery coordinator could not check the step timeout of execution "
                                + kv.key
                                + ": "
                                + e),
                    timestamp),
                CoordinatorTopology.ALERTS_SINK);
          }
        }
      }
    }
    due.forEach(t -> apply(t, timestamp));
  }

  private void apply(Transition t, long timestamp) {
    if (!t.changed()) {
      return;
    }
    RecoveryExecution x = Objects.requireNonNull(t.execution()); // changed()
    executions.put(x.getExecutionId(), x);
    for (RecoveryStepCommand c : t.commands()) {
      context.forward(
          new Record<>(x.getExecutionId(), (SpecificRecord) c, timestamp),
          CoordinatorTopology.COMMANDS_SINK);
    }
    context.forward(
        new Record<>(x.getExecutionId(), (SpecificRecord) x, timestamp),
        CoordinatorTopology.EXECUTIONS_SINK);
    for (Alert a : t.alerts()) {
      context.forward(
          new Record<>(a.getSubject(), (SpecificRecord) a, timestamp),
          CoordinatorTopology.ALERTS_SINK);
    }
    LOG.info(
        "recovery {} ({} of plan {}): {}{}",
        x.getExecutionId(),
        x.getMode(),
        x.getPlanName(),
        x.getStatus(),
        t.commands().isEmpty()
            ? ""
            : ", sent "
                + t.commands().get(0).getAction()
                + " "
                + t.commands().get(0).getStep().getStepId());
  }

  /** Learned from this instance's executions, refreshed at most once a minute. */
  private Estimates estimates() {
    Instant now = Instant.now();
    if (estimates == null || Duration.between(estimatesAt, now).compareTo(ESTIMATES_TTL) > 0) {
      Estimates e = Estimates.defaults();
      try (KeyValueIterator<String, RecoveryExecution> it = executions.all()) {
        it.forEachRemaining(
            kv -> {
              if (kv.value != null) {
                e.learn(kv.value);
              }
            });
      }
      estimates = e;
      estimatesAt = now;
    }
    return estimates;
  }
}
