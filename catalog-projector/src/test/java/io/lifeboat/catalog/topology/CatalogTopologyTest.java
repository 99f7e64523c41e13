package io.lifeboat.catalog.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.BackupStatus;
import io.lifeboat.events.BackupType;
import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.ComponentDumped;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.ComponentStatus;
import io.lifeboat.events.ComponentSummary;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.EventSerde;
import io.lifeboat.events.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

class CatalogTopologyTest {

  TopologyTestDriver driver;
  KeyValueStore<String, CatalogEntry> store;

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "catalog-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class);
    driver = new TopologyTestDriver(CatalogTopology.build(), p);
    store = driver.getKeyValueStore(CatalogStores.BACKUPS_BY_ID);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  <V extends org.apache.avro.specific.SpecificRecord> void pipe(
      io.lifeboat.events.TopicSpec<V> topic, String key, V value) {
    TestInputTopic<String, V> in =
        driver.createInputTopic(
            topic.name(), new StringSerializer(), EventSerde.of(topic).serializer());
    in.pipeInput(key, value);
  }

  static BackupRequested request(String id) {
    return BackupRequested.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setBackupId(id)
        .setName("nightly")
        .setComponents(List.of(new ComponentSpec("files", "files:/srv")))
        .setLabels(Map.of("env", "prod"))
        .build();
  }

  static ComponentSummary summary() {
    return ComponentSummary.newBuilder()
        .setName("files")
        .setKind("files")
        .setSource("files:/srv")
        .setStatus(ComponentStatus.OK)
        .setSizeBytes(1000)
        .setChunkCount(3)
        .setNewChunkCount(1)
        .build();
  }

  static BackupCompleted completed(String id) {
    return BackupCompleted.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setBackupId(id)
        .setName("nightly")
        .setType(BackupType.FULL)
        .setStatus(BackupStatus.SUCCESS)
        .setLabels(Map.of("env", "prod"))
        .setRequestedAt(Instant.parse("2026-11-25T01:00:00Z"))
        .setStartedAt(Instant.parse("2026-11-25T01:00:01Z"))
        .setCompletedAt(Instant.parse("2026-11-25T01:00:09Z"))
        .setDurationMs(9000)
        .setSizeBytes(1000)
        .setStoredBytes(400)
        .setNewChunks(1)
        .setDedupedChunks(2)
        .setNewBytes(800)
        .setCompressionRatio(2.0)
        .setManifestChecksum("abc")
        .setComponents(List.of(summary()))
        .build();
  }

  @Test
  void backupLifecycle_requestedRunningSuccess() {
    pipe(Topics.BACKUP_REQUESTS, "b-1", request("b-1"));
    assertThat(store.get("b-1").getStatus()).isEqualTo("REQUESTED");
    assertThat(store.get("b-1").getLabels()).containsEntry("env", "prod");

    pipe(
        Topics.BACKUP_COMPONENTS,
        "b-1",
        ComponentDumped.newBuilder()
            .setEnvelope(Envelopes.next("b-1"))
            .setBackupId("b-1")
            .setComponent(summary())
            .build());
    assertThat(store.get("b-1").getStatus()).isEqualTo("RUNNING");
    assertThat(store.get("b-1").getComponents()).hasSize(1);

    pipe(Topics.BACKUP_COMPLETIONS, "b-1", completed("b-1"));
    CatalogEntry e = store.get("b-1");
    assertThat(e.getStatus()).isEqualTo("SUCCESS");
    assertThat(e.getDedupedChunks()).isEqualTo(2);
    assertThat(e.getManifestChecksum()).isEqualTo("abc");
  }

  @Test
  void aVerificationOnRequest_isTheLatestOne_andChangesNothingElse() {
    pipe(Topics.BACKUP_COMPLETIONS, "b-v", completed("b-v"));
    for (String id : List.of("v-1", "v-2")) {
      pipe(
          Topics.BACKUP_VERIFICATIONS,
          "b-v",
          io.lifeboat.events.BackupVerified.newBuilder()
              .setEnvelope(Envelopes.next("b-v"))
              .setVerificationId(id)
              .setBackupId("b-v")
              .setOk(id.equals("v-1"))
              .setChunksChecked(3)
              .setBytesChecked(1000)
              .setProblems(
                  id.equals("v-1") ? List.of() : List.of("chunk ab12: authentication failed"))
              .build());
    }
    CatalogEntry e = store.get("b-v");
    assertThat(e.getStatus()).isEqualTo("SUCCESS");
    assertThat(e.getManifestChecksum()).isEqualTo("abc");
    assertThat(e.getLastVerification().getVerificationId()).isEqualTo("v-2");
    assertThat(e.getLastVerification().getOk()).isFalse();
    assertThat(e.getLastVerification().getProblems())
        .containsExactly("chunk ab12: authentication failed");
  }

  @Test
  void completionBeforeRequest_staysFinal() {
    pipe(Topics.BACKUP_COMPLETIONS, "b-2", completed("b-2"));
    pipe(Topics.BACKUP_REQUESTS, "b-2", request("b-2"));
    assertThat(store.get("b-2").getStatus()).isEqualTo("SUCCESS");
  }

  @Test
  void rejection_isRecordedWithReasons() {
    pipe(Topics.BACKUP_REQUESTS, "b-3", request("b-3"));
    pipe(
        Topics.BACKUP_REJECTIONS,
        "b-3",
        BackupRejected.newBuilder()
            .setEnvelope(Envelopes.next("b-3"))
            .setBackupId("b-3")
            .setName("nightly")
            .setReasons(List.of("path /srv does not exist", "unknown kind"))
            .build());
    assertThat(store.get("b-3").getStatus()).isEqualTo("REJECTED");
    assertThat(store.get("b-3").getReason()).isEqualTo("path /srv does not exist; unknown kind");
  }

  @Test
  void unreadableRecord_isSkipped_andLaterEventsStillCount() {
    driver
        .createInputTopic(
            Topics.BACKUP_REQUESTS.name(), new StringSerializer(), new ByteArraySerializer())
        .pipeInput("junk", new byte[] {1, 2, 3});
    pipe(Topics.BACKUP_REQUESTS, "b-4", request("b-4"));
    assertThat(store.get("junk")).isNull();
    assertThat(store.get("b-4").getStatus()).isEqualTo("REQUESTED");
  }

  @Test
  void replicaRepaired_marksThatLocationComplete_andOtherAlertsAreIgnored() {
    BackupCompleted done = completed("b-5");
    done.setLocationStatus(
        List.of(
            new io.lifeboat.events.LocationStatus("s3://primary", true, true, 0, null),
            new io.lifeboat.events.LocationStatus("s3://replica", false, false, 12, null)));
    pipe(Topics.BACKUP_COMPLETIONS, "b-5", done);
    pipe(
        Topics.ALERTS,
        "s3://replica",
        io.lifeboat.events.Alert.newBuilder()
            .setEnvelope(Envelopes.next("x"))
            .setSeverity(io.lifeboat.events.Severity.WARNING)
            .setKind("replica.unreachable")
            .setSubject("s3://replica")
            .setMessage("down")
            .setLabels(Map.of("location", "s3://replica"))
            .build());
    assertThat(store.get("s3://replica")).isNull();

    pipe(
        Topics.ALERTS,
        "b-5",
        io.lifeboat.events.Alert.newBuilder()
            .setEnvelope(Envelopes.next("b-5"))
            .setSeverity(io.lifeboat.events.Severity.INFO)
            .setKind("replica.repaired")
            .setSubject("b-5")
            .setMessage("complete now")
            .setLabels(Map.of("location", "s3://replica"))
            .build());

    var status = store.get("b-5").getLocationStatus();
    assertThat(status.get(1).getComplete()).isTrue();
    assertThat(status.get(1).getMissingChunks()).isZero();
    assertThat(store.get("b-5").getStatus()).isEqualTo("SUCCESS");
  }
}
