package io.lifeboat.scheduler.topology;

import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.ScheduleDefined;
import io.lifeboat.events.Severity;
import io.lifeboat.events.Topics;
import io.lifeboat.scheduler.RunState;
import io.lifeboat.scheduler.Scheduler;
import io.lifeboat.scheduler.Schedules;
import io.lifeboat.stage.common.auth.ActorClaim;
import io.lifeboat.stage.common.auth.ActorSignatures;
import io.lifeboat.stage.common.auth.IdentityKeys;
import io.lifeboat.stage.common.auth.KafkaRequestGuard;
import io.lifeboat.stage.common.auth.Operation;
import io.lifeboat.stage.common.auth.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Thin glue: loads and stores what {@link Scheduler} decides, forwards what it publishes. */
final class SchedulerProcessor
    implements Processor<String, SpecificRecord, String, SpecificRecord> {

  private static final Logger log = LoggerFactory.getLogger(SchedulerProcessor.class);

  private final Scheduler scheduler;
  private final Duration tick;
  private final Clock clock;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, ScheduleDefined> schedules;
  private KeyValueStore<String, RunState> states;

  private final KafkaRequestGuard guard;
  private final java.security.PrivateKey identity;

  SchedulerProcessor(
      Scheduler scheduler,
      Duration tick,
      Clock clock,
      KafkaRequestGuard guard,
      java.security.PrivateKey identity) {
    this.scheduler = scheduler;
    this.tick = tick;
    this.clock = clock;
    this.guard = guard;
    this.identity = identity;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.schedules = context.getStateStore(SchedulerTopology.SCHEDULES_STORE);
    this.states = context.getStateStore(SchedulerTopology.STATE_STORE);
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, t -> tick());
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    String name = record.key();
    if (name == null) {
      return;
    }
    SpecificRecord value = record.value();
    Instant now = clock.instant();
    if ((value == null || value instanceof ScheduleDefined)
        && !guard
            .check(
                Topics.SCHEDULES.name(),
                name,
                record.headers(),
                value == null ? Operation.SCHEDULE_DELETE : Operation.SCHEDULE_DEFINE,
                Role.ADMIN,
                "",
                name)
            .allowed()) {
      return; // the guard audited it; the schedule stays as it was
    }
    if (value == null) {
      schedules.delete(name);
      states.delete(name);
      log.info("schedule {} deleted", name);
      return;
    }
    if (value instanceof ScheduleDefined s) {
      String problem = Schedules.problem(s);
      if (problem != null) {
        forward(
            List.of(
                new Scheduler.Keyed(
                    name,
                    Alert.newBuilder()
                        .setEnvelope(Envelopes.next(name))
                        .setSeverity(Severity.CRITICAL)
                        .setKind("schedule.invalid")
                        .setSubject(name)
                        .setMessage("schedule " + name + " ignored: " + problem)
                        .build())),
            now);
        return;
      }
      ScheduleDefined previous = schedules.get(name);
      schedules.put(name, s);
      states.put(name, scheduler.defined(previous, s, states.get(name), now));
      log.info("schedule {} defined: {} ({})", name, s.getCron(), s.getZone());
      return;
    }
    ScheduleDefined s = schedules.get(name);
    RunState state = states.get(name);
    if (s == null || state == null) {
      return; // a backup of a schedule since deleted
    }
    Scheduler.Step step;
    if (value instanceof BackupCompleted c) {
      step = scheduler.completed(s, state, c);
    } else if (value instanceof BackupRejected r) {
      step = scheduler.rejected(s, state, r);
    } else {
      return;
    }
    apply(name, state, step, now);
  }

  private void tick() {
    Instant now = clock.instant();
    List<KeyValue<String, ScheduleDefined>> all = new ArrayList<>();
    try (KeyValueIterator<String, ScheduleDefined> it = schedules.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, ScheduleDefined> kv : all) {
      RunState state = states.get(kv.key);
      if (state == null) {
        state = scheduler.defined(null, kv.value, null, now);
      }
      apply(kv.key, state, scheduler.tick(kv.value, state, now), now);
    }
  }

  private void apply(String name, RunState before, Scheduler.Step step, Instant now) {
    if (!step.state().equals(before)) {
      states.put(name, step.state());
    }
    forward(step.out(), now);
  }

  private void forward(List<Scheduler.Keyed> out, Instant now) {
    for (Scheduler.Keyed k : out) {
      log.info("schedule: {} {}", k.event().getClass().getSimpleName(), k.key());
      context.forward(new Record<>(k.key(), k.event(), now.toEpochMilli(), signed(k, now)));
    }
  }

  /** The scheduler's claim on a request it fires: an operator's, checked where it is acted on. */
  private org.apache.kafka.common.header.Headers signed(Scheduler.Keyed k, Instant now) {
    var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    String topic = SchedulerTopology.topicOf(k.event());
    if (KafkaRequestGuard.REQUEST_TOPICS.contains(topic)) {
      ActorSignatures.sign(
          headers,
          identity,
          topic,
          new ActorClaim(
              IdentityKeys.SCHEDULER, k.key(), IdentityKeys.SCHEDULER, Role.OPERATOR, "", now, ""),
          new io.lifeboat.events.AnyEventSerde().serialize(topic, k.event()));
    }
    return headers;
  }
}
