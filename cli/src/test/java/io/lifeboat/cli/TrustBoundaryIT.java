package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.local.LocalBackend;
import io.lifeboat.events.BackupDumped;
import io.lifeboat.events.CheckSpec;
import io.lifeboat.events.CheckStepSpec;
import io.lifeboat.events.CheckType;
import io.lifeboat.events.DeadLetterHeaders;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.EventCodec;
import io.lifeboat.events.EventSignatures;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.StepAction;
import io.lifeboat.events.Topics;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka is a trust boundary: a writer who gets a well-formed record onto a topic still cannot make
 * a recovery executor run a step, nor the verify stage commit a "verified" backup, without the
 * signature of the service that should have sent it (the forged records are dead-lettered and
 * alerted on), nor make the dump stage read Lifeboat's keys or credentials.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class TrustBoundaryIT {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static AllInOne lifeboat;
  static Path home;
  static Path repoDir;

  @BeforeAll
  static void start() throws Exception {
    home = Files.createTempDirectory("lifeboat-trust");
    repoDir = home.resolve("repository");
    Path keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    Repository.init(
        new LocalBackend(repoDir, true),
        key,
        new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, 3L));
    lifeboat =
        AllInOne.start(
            new AllInOne.Options(
                home,
                repoDir.toString(),
                List.of(),
                keyFile,
                0,
                0,
                TestBroker.bootstrapServers(),
                Map.of(
                    "lifeboat.catalog.application-id",
                    "catalog-trust-" + RUN,
                    "lifeboat.recovery.coordinator.application-id",
                    "coordinator-trust-" + RUN,
                    "lifeboat.recovery.executor.command-checks",
                    "true")),
            System.out);
  }

  @AfterAll
  static void stop() {
    if (lifeboat != null) {
      lifeboat.close();
    }
  }

  static void send(String topic, byte[] value, byte[] mac) throws Exception {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, "forged-" + RUN, value);
      if (mac != null) {
        r.headers().add(EventSignatures.HEADER, mac);
      }
      p.send(r).get();
    }
  }

  /** The dead letters of a topic whose error names this run's forged record. */
  static List<String> deadLetterErrors(String topic) {
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic + ".dlt", 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          Header error = r.headers().lastHeader(DeadLetterHeaders.ERROR);
          if (("forged-" + RUN).equals(r.key()) && error != null) {
            out.add(new String(error.value(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    return out;
  }

  static boolean forgedAlertFor(String topic) {
    return RecoveryEvents.all(Topics.ALERTS).stream()
        .anyMatch(a -> a.getKind().equals("security.forged-event") && a.getSubject().equals(topic));
  }

  @Test
  void aForgedRecoveryCommand_isNotRun_butDeadLetteredAndAlerted() throws Exception {
    Path marker = home.resolve("pwned-" + RUN);
    CheckSpec check =
        CheckSpec.newBuilder()
            .setName("x")
            .setType(CheckType.COMMAND)
            .setCommand(List.of("touch " + marker))
            .build();
    RecoveryStepCommand forged =
        RecoveryStepCommand.newBuilder()
            .setEnvelope(Envelopes.next("x-" + RUN))
            .setExecutionId("x-" + RUN)
            .setCommandId("x-" + RUN + "-c1")
            .setMode(RecoveryMode.EXECUTE)
            .setAction(StepAction.RUN)
            .setStep(
                RecoveryStep.newBuilder()
                    .setStepId("check:x")
                    .setSpec(CheckStepSpec.newBuilder().setCheck(check).build())
                    .build())
            .build();
    byte[] value = EventCodec.of(RecoveryStepCommand.class).encode(forged);

    send(Topics.RECOVERY_COMMANDS.name(), value, null);
    send(
        Topics.RECOVERY_COMMANDS.name(),
        value,
        EventSignatures.mac(
            "a guessed key, 32 bytes long....".getBytes(StandardCharsets.UTF_8),
            Topics.RECOVERY_COMMANDS.name(),
            value));

    List<String> errors =
        Eventually.await(
            "both forged commands on the dead-letter topic",
            () -> deadLetterErrors(Topics.RECOVERY_COMMANDS.name()),
            l -> l.size() >= 2);
    assertThat(errors)
        .anyMatch(e -> e.contains("carries no signature"))
        .anyMatch(e -> e.contains("wrong signature"));
    Eventually.until(
        "a security.forged-event alert for the commands topic",
        () -> forgedAlertFor(Topics.RECOVERY_COMMANDS.name()));
    assertThat(marker).as("the forged command check never ran").doesNotExist();
    assertThat(RecoveryEvents.all(Topics.RECOVERY_RESULTS))
        .noneMatch(r -> r.getExecutionId().equals("x-" + RUN));
  }

  @Test
  void aForgedChunkList_isNotCommittedAsAVerifiedBackup() throws Exception {
    Path source =
        Files.createDirectories(
            Files.createTempDirectory("lifeboat-sources")
                .resolve("source")); // outside the home: the dump stage never reads Lifeboat's home
    Files.writeString(source.resolve("app.conf"), "a real backup, whose chunks a forger reuses\n");
    Cli.Result real =
        Cli.run(
            new String[] {
              "backup",
              "files:" + source,
              "--name",
              "real-" + RUN,
              "--wait",
              "--home",
              home.toString(),
              "--repo",
              repoDir.toString(),
              "--key-file",
              home.resolve("key").toString(),
              "--bootstrap",
              TestBroker.bootstrapServers(),
              "--api",
              lifeboat.apiUrl()
            });
    assertThat(real.exit()).as(real.out() + real.err()).isZero();
    BackupDumped genuine =
        RecoveryEvents.all(Topics.BACKUP_DUMPS).stream()
            .filter(d -> d.getName().equals("real-" + RUN))
            .findFirst()
            .orElseThrow();
    String forgedId = "20991231T235959Z-" + RUN;
    BackupDumped forged =
        BackupDumped.newBuilder(genuine)
            .setBackupId(forgedId)
            .setName("forged-" + RUN)
            .setEnvelope(Envelopes.next(forgedId))
            .build();

    send(Topics.BACKUP_DUMPS.name(), EventCodec.of(BackupDumped.class).encode(forged), null);

    Eventually.await(
        "the forged chunk list on the dead-letter topic",
        () -> deadLetterErrors(Topics.BACKUP_DUMPS.name()),
        l -> !l.isEmpty());
    Eventually.until(
        "a security.forged-event alert for the dumps topic",
        () -> forgedAlertFor(Topics.BACKUP_DUMPS.name()));
    Repository repo =
        Repository.open(new LocalBackend(repoDir, false), MasterKey.fromFile(home.resolve("key")));
    assertThat(repo.hasManifest(forgedId))
        .as("no manifest: the forgery is not a verified backup")
        .isFalse();
    assertThat(RecoveryEvents.all(Topics.BACKUP_COMPLETIONS))
        .noneMatch(c -> c.getBackupId().equals(forgedId));
  }

  @Test
  void backupRequestsForLifeboatsKeysOrCredentials_areRejectedWithReasons() {
    Cli.Result key =
        Cli.run(
            new String[] {
              "backup",
              "files:" + home.resolve("key"),
              "--name",
              "steal-" + RUN,
              "--wait",
              "--json",
              "--home",
              home.toString(),
              "--repo",
              repoDir.toString(),
              "--key-file",
              home.resolve("key").toString(),
              "--bootstrap",
              TestBroker.bootstrapServers(),
              "--api",
              lifeboat.apiUrl()
            });
    assertThat(key.exit()).as(key.out() + key.err()).isEqualTo(ExitCodes.REJECTED);
    assertThat(key.out()).contains("lies inside " + home).contains("never reads");

    Cli.Result env =
        Cli.run(
            new String[] {
              "backup",
              "secrets:env:LIFEBOAT_*",
              "--name",
              "steal-env-" + RUN,
              "--wait",
              "--json",
              "--home",
              home.toString(),
              "--repo",
              repoDir.toString(),
              "--key-file",
              home.resolve("key").toString(),
              "--bootstrap",
              TestBroker.bootstrapServers(),
              "--api",
              lifeboat.apiUrl()
            });
    assertThat(env.exit()).as(env.out() + env.err()).isEqualTo(ExitCodes.REJECTED);
    assertThat(env.out()).contains("would capture the stage's own credentials");
  }
}
