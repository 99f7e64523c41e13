package io.lifeboat.catalog.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.Envelope;
import io.lifeboat.events.EventSerde;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.events.Topics;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecoveryTopologyTest {

  static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");

  TopologyTestDriver driver;
  KeyValueStore<String, RecoveryExecution> store;
  TestInputTopic<String, RecoveryExecution> in;

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "catalog-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class);
    driver = new TopologyTestDriver(CatalogTopology.build(), p);
    store = driver.getKeyValueStore(CatalogStores.RECOVERIES_BY_ID);
    in =
        driver.createInputTopic(
            Topics.RECOVERY_EXECUTIONS.name(),
            new StringSerializer(),
            EventSerde.of(Topics.RECOVERY_EXECUTIONS).serializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  /** The state of execution {@code id} published {@code seconds} after T0. */
  static RecoveryExecution state(String id, RecoveryStatus status, long seconds) {
    return RecoveryExecution.newBuilder()
        .setEnvelope(new Envelope("e-" + id + "-" + seconds, T0.plusSeconds(seconds), id))
        .setExecutionId(id)
        .setPlanName("orders")
        .setMode(RecoveryMode.TEST)
        .setStatus(status)
        .setRequestedAt(T0)
        .build();
  }

  @Test
  void latestStateWins() {
    in.pipeInput("x-1", state("x-1", RecoveryStatus.PENDING, 0));
    assertThat(store.get("x-1").getStatus()).isEqualTo(RecoveryStatus.PENDING);
    in.pipeInput("x-1", state("x-1", RecoveryStatus.RUNNING, 2));
    in.pipeInput("x-1", state("x-1", RecoveryStatus.SUCCEEDED, 5));
    assertThat(store.get("x-1").getStatus()).isEqualTo(RecoveryStatus.SUCCEEDED);
    assertThat(store.get("x-1").getEnvelope().getTime()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void olderStateArrivingLate_doesNotOverwrite() {
    in.pipeInput("x-2", state("x-2", RecoveryStatus.PENDING, 0));
    in.pipeInput("x-2", state("x-2", RecoveryStatus.FAILED, 5));
    in.pipeInput("x-2", state("x-2", RecoveryStatus.RUNNING, 2));
    assertThat(store.get("x-2").getStatus()).isEqualTo(RecoveryStatus.FAILED);

    // a running state stamped at the same time does not reopen a final one either
    in.pipeInput("x-2", state("x-2", RecoveryStatus.COMPENSATING, 5));
    assertThat(store.get("x-2").getStatus()).isEqualTo(RecoveryStatus.FAILED);
  }

  @Test
  void requestedRollback_reopensAFinishedExecution() {
    in.pipeInput("x-3", state("x-3", RecoveryStatus.SUCCEEDED, 5));
    RecoveryExecution rollback = state("x-3", RecoveryStatus.COMPENSATING, 60);
    rollback.setRollbackRequested(true);
    in.pipeInput("x-3", rollback);
    assertThat(store.get("x-3").getStatus()).isEqualTo(RecoveryStatus.COMPENSATING);

    RecoveryExecution done = state("x-3", RecoveryStatus.ROLLED_BACK, 90);
    done.setRollbackRequested(true);
    done.setRolledBack(true);
    in.pipeInput("x-3", done);
    in.pipeInput("x-3", rollback);
    assertThat(store.get("x-3").getStatus()).isEqualTo(RecoveryStatus.ROLLED_BACK);
  }

  @Test
  void executionsAreKeptApart_andUnreadableRecordsSkipped() {
    driver
        .createInputTopic(
            Topics.RECOVERY_EXECUTIONS.name(), new StringSerializer(), new ByteArraySerializer())
        .pipeInput("junk", new byte[] {1, 2, 3});
    in.pipeInput("x-4", state("x-4", RecoveryStatus.RUNNING, 1));
    in.pipeInput("x-5", state("x-5", RecoveryStatus.INVALID, 0));
    assertThat(store.get("junk")).isNull();
    assertThat(store.get("x-4").getStatus()).isEqualTo(RecoveryStatus.RUNNING);
    assertThat(store.get("x-5").getStatus()).isEqualTo(RecoveryStatus.INVALID);
  }
}
