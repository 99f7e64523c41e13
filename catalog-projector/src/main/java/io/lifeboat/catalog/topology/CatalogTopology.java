package io.lifeboat.catalog.topology;

import io.lifeboat.events.AnyEventSerde;
import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.EventSerde;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.Topics;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * The catalog projection: every backup-keyed event (requests, rejections, component results,
 * completions, and the alerts that change a backup's state, such as a replica repaired) folded into
 * one {@link CatalogEntry} per backup, kept in the persistent store {@link
 * CatalogStores#BACKUPS_BY_ID}. All inputs are keyed by backup id with equal partition counts, so
 * they merge without a repartition.
 *
 * <p>Recovery executions, published whole at every change, are kept latest-by-time per execution id
 * in {@link CatalogStores#RECOVERIES_BY_ID} (see {@link RecoveryFold}).
 */
public final class CatalogTopology {

  private CatalogTopology() {}

  public static Topology build() {
    return build(event -> {});
  }

  /**
   * @param observer sees every completion, rejection, alert and recovery execution as it is
   *     projected (the metrics count them); it must not block
   */
  public static Topology build(Consumer<SpecificRecord> observer) {
    StreamsBuilder builder = new StreamsBuilder();
    AnyEventSerde any = new AnyEventSerde();
    Consumed<String, SpecificRecord> consumed = Consumed.with(Serdes.String(), any);
    KStream<String, SpecificRecord> events =
        builder.stream(Topics.BACKUP_REQUESTS.name(), consumed)
            .merge(
                builder.stream(Topics.BACKUP_REJECTIONS.name(), consumed)
                    .peek((id, event) -> observe(observer, event)))
            .merge(builder.stream(Topics.BACKUP_COMPONENTS.name(), consumed))
            .merge(
                builder.stream(Topics.BACKUP_COMPLETIONS.name(), consumed)
                    .peek((id, event) -> observe(observer, event)))
            .merge(builder.stream(Topics.BACKUP_DELETIONS.name(), consumed))
            .merge(builder.stream(Topics.BACKUP_VERIFICATIONS.name(), consumed))
            .merge(
                builder.stream(Topics.ALERTS.name(), consumed)
                    .peek((id, event) -> observe(observer, event))
                    .filter(CatalogFold::concernsACatalogEntry));
    events
        .filter((id, event) -> id != null && event != null)
        .groupByKey(Grouped.with(Serdes.String(), any))
        .aggregate(
            CatalogFold::empty,
            CatalogFold::apply,
            Materialized.<String, CatalogEntry, KeyValueStore<Bytes, byte[]>>as(
                    CatalogStores.BACKUPS_BY_ID)
                .withKeySerde(Serdes.String())
                .withValueSerde(new EventSerde<>(CatalogEntry.class)));

    EventSerde<RecoveryExecution> executions = EventSerde.of(Topics.RECOVERY_EXECUTIONS);
    builder.stream(Topics.RECOVERY_EXECUTIONS.name(), Consumed.with(Serdes.String(), executions))
        .filter((id, execution) -> id != null && execution != null)
        .peek((id, execution) -> observe(observer, execution))
        .groupByKey(Grouped.with(Serdes.String(), executions))
        .reduce(
            RecoveryFold::latest,
            Materialized.<String, RecoveryExecution, KeyValueStore<Bytes, byte[]>>as(
                    CatalogStores.RECOVERIES_BY_ID)
                .withKeySerde(Serdes.String())
                .withValueSerde(executions));

    // schedules, whole on every instance: the API lists them with the recovery point they reached
    builder.globalTable(
        Topics.SCHEDULES.name(),
        Consumed.with(Serdes.String(), EventSerde.of(Topics.SCHEDULES)),
        Materialized.<String, io.lifeboat.events.ScheduleDefined, KeyValueStore<Bytes, byte[]>>as(
                CatalogStores.SCHEDULES)
            .withKeySerde(Serdes.String())
            .withValueSerde(EventSerde.of(Topics.SCHEDULES)));

    // the audit trail: each event by its id (the query sorts by time)
    builder.table(
        Topics.AUDIT.name(),
        Consumed.with(Serdes.String(), EventSerde.of(Topics.AUDIT)),
        Materialized.<String, io.lifeboat.events.AuditEvent, KeyValueStore<Bytes, byte[]>>as(
                CatalogStores.AUDIT)
            .withKeySerde(Serdes.String())
            .withValueSerde(EventSerde.of(Topics.AUDIT)));
    return builder.build();
  }

  private static void observe(Consumer<SpecificRecord> observer, @Nullable SpecificRecord event) {
    if (event != null) {
      try {
        observer.accept(event);
      } catch (RuntimeException e) {
        // metrics never stop the projection
        org.slf4j.LoggerFactory.getLogger(CatalogTopology.class)
            .warn("metrics could not count an event: {}", e.toString());
      }
    }
  }
}
