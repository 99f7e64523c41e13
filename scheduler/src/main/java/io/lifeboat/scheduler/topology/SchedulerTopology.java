package io.lifeboat.scheduler.topology;

import io.lifeboat.core.schedule.ScheduledBackups;
import io.lifeboat.events.AnyEventSerde;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.EventSerde;
import io.lifeboat.events.RecoveryRequested;
import io.lifeboat.events.Topics;
import io.lifeboat.scheduler.Scheduler;
import io.lifeboat.stage.common.auth.ActorSignatures;
import io.lifeboat.stage.common.auth.KafkaRequestGuard;
import java.time.Clock;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The scheduler: schedules (keyed by name) and the outcomes of scheduled backups (re-keyed by
 * schedule name, so they meet their schedule in the same task) into one processor whose stores hold
 * every schedule and what was fired; backup requests, plan-test requests and alerts out. Run
 * exactly once: a slot's request and the store update that marks it fired commit together.
 */
public final class SchedulerTopology {

  /** Store: schedule name to its definition. */
  public static final String SCHEDULES_STORE = "schedules";

  /** Store: schedule name to its {@link RunState}. */
  public static final String STATE_STORE = "schedule-state";

  private SchedulerTopology() {}

  /**
   * @param guard checks that a schedule comes from an admin (roles mode)
   * @param identity the scheduler's signing key: the requests it fires carry its claim
   */
  public static Topology build(
      Scheduler scheduler,
      Duration tick,
      Clock clock,
      KafkaRequestGuard guard,
      java.security.PrivateKey identity) {
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SCHEDULES_STORE),
            Serdes.String(),
            EventSerde.of(Topics.SCHEDULES)));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), new RunStateSerde()));
    KStream<String, SpecificRecord> schedules =
        b.stream(
                Topics.SCHEDULES.name(),
                Consumed.with(
                    Serdes.String(),
                    Serdes.serdeFrom(
                        EventSerde.of(Topics.SCHEDULES),
                        ActorSignatures.digesting(EventSerde.of(Topics.SCHEDULES)))))
            .mapValues(v -> (SpecificRecord) v);
    KStream<String, SpecificRecord> completions =
        b.stream(
                Topics.BACKUP_COMPLETIONS.name(),
                Consumed.with(Serdes.String(), EventSerde.of(Topics.BACKUP_COMPLETIONS)))
            .filter(
                (k, v) -> v != null && v.getLabels().containsKey(ScheduledBackups.SCHEDULE_LABEL))
            .selectKey((k, v) -> v.getLabels().get(ScheduledBackups.SCHEDULE_LABEL))
            .repartition(
                Repartitioned.<String, BackupCompleted>with(
                        Serdes.String(), EventSerde.of(Topics.BACKUP_COMPLETIONS))
                    .withName("completions-by-schedule")
                    .withNumberOfPartitions(Topics.SCHEDULES.partitions()))
            .mapValues(v -> (SpecificRecord) v);
    KStream<String, SpecificRecord> rejections =
        b.stream(
                Topics.BACKUP_REJECTIONS.name(),
                Consumed.with(Serdes.String(), EventSerde.of(Topics.BACKUP_REJECTIONS)))
            .filter((k, v) -> v != null && ScheduledBackups.scheduleOf(v.getBackupId()).isPresent())
            .selectKey((k, v) -> ScheduledBackups.scheduleOf(v.getBackupId()).orElseThrow())
            .repartition(
                Repartitioned.<String, BackupRejected>with(
                        Serdes.String(), EventSerde.of(Topics.BACKUP_REJECTIONS))
                    .withName("rejections-by-schedule")
                    .withNumberOfPartitions(Topics.SCHEDULES.partitions()))
            .mapValues(v -> (SpecificRecord) v);
    schedules
        .merge(completions)
        .merge(rejections)
        .process(
            () -> new SchedulerProcessor(scheduler, tick, clock, guard, identity),
            SCHEDULES_STORE,
            STATE_STORE)
        .to(
            (key, value, context) -> topicOf(value),
            Produced.with(Serdes.String(), new AnyEventSerde()));
    return b.build();
  }

  static String topicOf(SpecificRecord event) {
    if (event instanceof BackupRequested) {
      return Topics.BACKUP_REQUESTS.name();
    }
    if (event instanceof RecoveryRequested) {
      return Topics.RECOVERY_REQUESTS.name();
    }
    return Topics.ALERTS.name();
  }
}
