package io.lifeboat.recovery.topology;

import io.lifeboat.events.ApprovalState;
import io.lifeboat.events.EventSerde;
import io.lifeboat.events.EventSignatures;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import io.lifeboat.recovery.approval.ApprovalProcessor;
import io.lifeboat.stage.common.auth.ActorSignatures;
import io.lifeboat.stage.common.auth.ApiAccess;
import io.lifeboat.stage.common.auth.KafkaRequestGuard;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The coordinator: plans from their compacted topic into a global store; requests and step results
 * (both keyed by execution id, equal partition counts) into the saga processor, whose store holds
 * every execution's state; commands, execution updates and alerts out.
 */
public final class CoordinatorTopology {

  static final String COMMANDS_SINK = "recovery-commands";
  static final String EXECUTIONS_SINK = "recovery-executions";
  static final String ALERTS_SINK = "recovery-alerts";

  private CoordinatorTopology() {}

  /**
   * A coordinator without committed offsets (a new application id) starts at the end of the
   * requests and results topics: replaying them would run past recoveries again (their old results
   * would even drive the replayed sagas, since command ids repeat per execution).
   *
   * @param requestMaxAge a request older than this when first seen is answered "expired", not run
   * @param commandKey signs every step command (see EventSignatures)
   */
  /**
   * Who may send what over Kafka: the guard the saga and the plan store check requests with, the
   * production settings that make a recovery an admin's, and the API's signing key (an approved
   * change goes out signed as the requester's, approved by an admin).
   */
  public record RequestSecurity(
      KafkaRequestGuard guard, ApiAccess access, java.security.PrivateKey identity) {}

  public static Topology build(
      Duration stepTimeout, Duration requestMaxAge, byte[] commandKey, RequestSecurity security) {
    Topology t = new Topology();
    t.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CoordinatorStores.PLANS),
                Serdes.String(),
                Serdes.String())
            .withLoggingDisabled(),
        "plans-source",
        Serdes.String().deserializer(),
        ActorSignatures.digesting(EventSerde.of(Topics.RECOVERY_PLANS).deserializer()),
        Topics.RECOVERY_PLANS.name(),
        "plans-updater",
        () -> new PlanStoreUpdater(security.guard(), security.access()));
    t.addSource(
        AutoOffsetReset.latest(),
        "requests",
        Serdes.String().deserializer(),
        ActorSignatures.digesting(EventSerde.of(Topics.RECOVERY_REQUESTS).deserializer()),
        Topics.RECOVERY_REQUESTS.name());
    t.addSource(
        AutoOffsetReset.latest(),
        "results",
        Serdes.String().deserializer(),
        EventSerde.of(Topics.RECOVERY_RESULTS).deserializer(),
        Topics.RECOVERY_RESULTS.name());
    t.addProcessor(
        "saga",
        () -> new SagaProcessor(stepTimeout, requestMaxAge, commandKey, security),
        "requests",
        "results");
    Serde<RecoveryExecution> executionSerde = EventSerde.of(Topics.RECOVERY_EXECUTIONS);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CoordinatorStores.EXECUTIONS),
            Serdes.String(),
            executionSerde),
        "saga");
    t.addSink(
        COMMANDS_SINK,
        Topics.RECOVERY_COMMANDS.name(),
        Serdes.String().serializer(),
        EventSignatures.signing(
            serializer(Topics.RECOVERY_COMMANDS),
            Map.of(Topics.RECOVERY_COMMANDS.name(), commandKey)),
        "saga");
    t.addSink(
        EXECUTIONS_SINK,
        Topics.RECOVERY_EXECUTIONS.name(),
        Serdes.String().serializer(),
        serializer(Topics.RECOVERY_EXECUTIONS),
        "saga");
    t.addSink(
        ALERTS_SINK,
        Topics.ALERTS.name(),
        Serdes.String().serializer(),
        serializer(Topics.ALERTS),
        "saga");
    addApprovals(t, security.identity());
    return t;
  }

  /**
   * Four eyes: held changes and the decisions about them (both keyed by request id) into the
   * approval processor; an approved change out to its own topic, every state out as an audit event.
   */
  private static void addApprovals(Topology t, java.security.PrivateKey identity) {
    t.addSource(
        AutoOffsetReset.latest(),
        "approval-requests",
        Serdes.String().deserializer(),
        EventSerde.of(Topics.APPROVALS).deserializer(),
        Topics.APPROVALS.name());
    t.addSource(
        AutoOffsetReset.latest(),
        "approval-decisions",
        Serdes.String().deserializer(),
        EventSerde.of(Topics.APPROVAL_DECISIONS).deserializer(),
        Topics.APPROVAL_DECISIONS.name());
    t.addProcessor(
        "approvals",
        () -> new ApprovalProcessor(identity),
        "approval-requests",
        "approval-decisions");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CoordinatorStores.APPROVALS),
            Serdes.String(),
            new EventSerde<>(ApprovalState.class)),
        "approvals");
    org.apache.kafka.streams.processor.TopicNameExtractor<String, Object> heldTopic =
        (key, value, context) -> ((ApprovalProcessor.Held) value).topic();
    t.addSink(
        ApprovalProcessor.RELEASE_SINK,
        heldTopic,
        Serdes.String().serializer(),
        (topic, value) -> value == null ? null : ((ApprovalProcessor.Held) value).value(),
        "approvals");
    t.addSink(
        ApprovalProcessor.AUDIT_SINK,
        Topics.AUDIT.name(),
        Serdes.String().serializer(),
        serializer(Topics.AUDIT),
        "approvals");
  }

  @SuppressWarnings("unchecked")
  private static <V extends SpecificRecord> Serializer<SpecificRecord> serializer(
      TopicSpec<V> topic) {
    return (Serializer<SpecificRecord>) (Serializer<?>) EventSerde.of(topic).serializer();
  }
}
