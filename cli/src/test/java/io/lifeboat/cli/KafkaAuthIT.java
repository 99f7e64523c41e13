package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.KafkaCredentials;
import io.lifeboat.stage.common.Principals;
import io.lifeboat.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded default's broker authenticates every client (SCRAM) and allows each principal only
 * what its role needs: no credentials, no Lifeboat topic; only the coordinator writes recovery
 * commands; the command line writes requests but no command.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KafkaAuthIT {

  static AllInOne lifeboat;
  static Path home;
  static String bootstrap;

  @BeforeAll
  static void start() throws Exception {
    home = Files.createTempDirectory("lifeboat-auth");
    lifeboat =
        AllInOne.start(
            new AllInOne.Options(
                home,
                home.resolve("repository").toString(),
                List.of(),
                home.resolve("key"),
                FreePorts.pair(),
                0,
                null,
                Map.of("lifeboat.scheduler.enabled", "true")),
            System.out);
    bootstrap = lifeboat.bootstrapServers();
  }

  @AfterAll
  static void stop() {
    if (lifeboat != null) {
      lifeboat.close();
    }
  }

  static Map<String, Object> as(String principal) {
    Map<String, Object> p =
        new HashMap<>(KafkaCredentials.read(AllInOne.credentialsDir(home), principal));
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return p;
  }

  static void send(Map<String, Object> props, TopicSpec<?> topic) throws Exception {
    Map<String, Object> p = new HashMap<>(props);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    // a client without credentials never gets metadata: it fails by this timeout, so keep it short
    // there (props may lower it); a real send has the usual 8 s
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic.name(), new byte[] {1})).get(10, TimeUnit.SECONDS);
    }
  }

  static Throwable cause(Throwable t) {
    return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
  }

  @Test
  void credentials_areOwnerOnlyFiles_inAnOwnerOnlyHome() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
        .isEqualTo("rwx------");
    for (String principal : Principals.ALL) {
      Path file = KafkaCredentials.file(AllInOne.credentialsDir(home), principal);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as(principal)
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("kafka"))))
        .isEqualTo("rwx------");
  }

  @Test
  void aClientWithoutCredentials_canNeitherWriteNorRead() {
    for (TopicSpec<?> topic :
        List.of(Topics.BACKUP_REQUESTS, Topics.RECOVERY_COMMANDS, Topics.CHUNKS_RAW)) {
      assertThatThrownBy(() -> send(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000), topic))
          .as("writing %s without credentials", topic.name())
          .isNotNull();
    }
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      assertThatThrownBy(
              () -> c.partitionsFor(Topics.BACKUP_COMPLETIONS.name(), Duration.ofSeconds(2)))
          .as("reading without credentials")
          .isNotNull();
    }
  }

  @Test
  void aWrongPassword_isRefused() {
    Map<String, Object> wrong = as(Principals.CLI);
    wrong.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"lifeboat-cli\""
            + " password=\"guessed\";");
    assertThatThrownBy(() -> send(wrong, Topics.BACKUP_REQUESTS))
        .satisfies(t -> assertThat(cause(t)).isInstanceOf(SaslAuthenticationException.class));
  }

  @Test
  void onlyTheCoordinatorWritesRecoveryCommands_andEachServiceOnlyItsOwnTopics() throws Exception {
    send(as(Principals.COORDINATOR), Topics.RECOVERY_COMMANDS);
    for (String principal :
        List.of(
            Principals.CLI,
            Principals.DUMP,
            Principals.EXECUTOR,
            Principals.CATALOG,
            Principals.VERIFY)) {
      assertThatThrownBy(() -> send(as(principal), Topics.RECOVERY_COMMANDS))
          .as(principal)
          .satisfies(t -> assertThat(cause(t)).isInstanceOf(TopicAuthorizationException.class));
    }
    send(as(Principals.CLI), Topics.BACKUP_REQUESTS);
    send(as(Principals.EXECUTOR), Topics.RECOVERY_RESULTS);
    send(as(Principals.DUMP), Topics.BACKUP_DUMPS);
    assertThatThrownBy(() -> send(as(Principals.CLI), Topics.BACKUP_DUMPS))
        .satisfies(t -> assertThat(cause(t)).isInstanceOf(TopicAuthorizationException.class));
    assertThatThrownBy(() -> send(as(Principals.UPLOAD), Topics.CHUNKS_RAW))
        .satisfies(t -> assertThat(cause(t)).isInstanceOf(TopicAuthorizationException.class));
    assertThatThrownBy(() -> send(as(Principals.DUMP), Topics.RECOVERY_RESULTS))
        .satisfies(t -> assertThat(cause(t)).isInstanceOf(TopicAuthorizationException.class));
  }

  @Test
  void afterABackup_noFileUnderTheHome_holdsTheBackedUpPlaintext() throws Exception {
    String marker = "lifeboat-marker-" + java.util.UUID.randomUUID();
    Path source =
        Files.createDirectories(Files.createTempDirectory("lifeboat-sources").resolve("app"));
    Files.writeString(source.resolve("secret.txt"), (marker + "\n").repeat(1000));
    Cli.Result r =
        Cli.run(
            new String[] {
              "backup",
              "files:" + source,
              "--name",
              "marker",
              "--wait",
              "--json",
              "--home",
              home.toString(),
              "--bootstrap",
              bootstrap,
              "--api",
              lifeboat.apiUrl()
            });
    assertThat(r.exit()).as(r.out() + r.err()).isZero();

    byte[] needle = marker.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Path> holding;
    try (var files = Files.walk(home)) {
      holding = files.filter(Files::isRegularFile).filter(f -> contains(f, needle)).toList();
    }
    assertThat(holding)
        .as("files under the home holding the plaintext (broker segments included)")
        .isEmpty();

    // deleted by hand (single mode: on the storage): the command line may not write deletions, it
    // asks the verify stage, which finds the manifest gone and the deletion recorded
    String id =
        tools.jackson.databind.json.JsonMapper.builder()
            .build()
            .readTree(r.out().lines().reduce((a, b) -> b).orElseThrow())
            .get("backupId")
            .asString();
    Cli.Result deleted =
        Cli.run(
            new String[] {
              "delete",
              id,
              "--reason",
              "marker " + id,
              "--home",
              home.toString(),
              "--bootstrap",
              bootstrap,
              "--api",
              lifeboat.apiUrl()
            });
    assertThat(deleted.exit()).as(deleted.out() + deleted.err()).isZero();
    assertThat(deleted.err()).doesNotContain("warning");
    io.lifeboat.model.BackupView view =
        io.lifeboat.testkit.Eventually.await(
            "the catalog to show " + id + " DELETED",
            () -> new io.lifeboat.model.CatalogClient(lifeboat.apiUrl()).get(id).orElse(null),
            v -> v != null && v.status().equals("DELETED"));
    assertThat(view.reason()).contains("marker " + id);
  }

  static boolean contains(Path file, byte[] needle) {
    try {
      byte[] data = Files.readAllBytes(file);
      outer:
      for (int i = 0; i + needle.length <= data.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (data[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void kafkaSetup_asAnAdministrator_isIdempotent_andRefusedToAService() {
    Path admin = KafkaCredentials.file(AllInOne.credentialsDir(home), Principals.ADMIN);
    Cli.Result ok = setup(admin, "single");
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out())
        .contains("every Lifeboat topic exists")
        .contains("grants for the service principals");

    Path dump = KafkaCredentials.file(AllInOne.credentialsDir(home), Principals.DUMP);
    Cli.Result refused = setup(dump, "single");
    assertThat(refused.exit()).as(refused.out() + refused.err()).isNotZero();
  }

  /**
   * Roles mode takes the command line's WRITE on the request topics away (it sends through the
   * API), and switching back gives it again: kafka-setup applies the difference.
   */
  @Test
  void kafkaSetup_inRolesMode_takesTheCommandLinesRequestWritesAway_andGivesThemBack()
      throws Exception {
    Path admin = KafkaCredentials.file(AllInOne.credentialsDir(home), Principals.ADMIN);
    try {
      Cli.Result roles = setup(admin, "roles");
      assertThat(roles.exit()).as(roles.out() + roles.err()).isZero();
      assertThat(roles.out()).contains("roles mode");
      assertThatThrownBy(() -> send(as(Principals.CLI), Topics.BACKUP_REQUESTS))
          .as("lifeboat-cli writing backup requests in roles mode")
          .satisfies(
              t ->
                  assertThat(cause(t))
                      .isInstanceOf(
                          org.apache.kafka.common.errors.TopicAuthorizationException.class));
      refusedToTheCommandLine(Topics.AUDIT, Topics.BACKUP_DELETIONS, Topics.ALERTS);
    } finally {
      Cli.Result single = setup(admin, "single");
      assertThat(single.exit()).as(single.out() + single.err()).isZero();
    }
    send(as(Principals.CLI), Topics.BACKUP_REQUESTS);
  }

  /**
   * Every host user of the command line shares its login: it may forge neither an audit event (a
   * "BREAK_GLASS" or an "APPROVED"), nor a deletion (a live backup shown DELETED), nor an alert, in
   * either mode; a broker an earlier version set up loses those grants at the next kafka-setup (or
   * start). The command line asks the verify stage instead, and records break glass through the API
   * (decision 0032).
   */
  @Test
  void theCommandLine_writesNoAuditDeletionsOrAlerts_inEitherMode() throws Exception {
    refusedToTheCommandLine(Topics.AUDIT, Topics.BACKUP_DELETIONS, Topics.ALERTS);
    Path admin = KafkaCredentials.file(AllInOne.credentialsDir(home), Principals.ADMIN);
    Map<String, Object> adminProps = as(Principals.ADMIN);
    // what an earlier version granted
    List<org.apache.kafka.common.acl.AclBinding> old = new java.util.ArrayList<>();
    for (TopicSpec<?> t : List.of(Topics.AUDIT, Topics.BACKUP_DELETIONS, Topics.ALERTS)) {
      old.add(
          new org.apache.kafka.common.acl.AclBinding(
              new org.apache.kafka.common.resource.ResourcePattern(
                  org.apache.kafka.common.resource.ResourceType.TOPIC,
                  t.name(),
                  org.apache.kafka.common.resource.PatternType.LITERAL),
              new org.apache.kafka.common.acl.AccessControlEntry(
                  "User:" + Principals.CLI,
                  "*",
                  org.apache.kafka.common.acl.AclOperation.WRITE,
                  org.apache.kafka.common.acl.AclPermissionType.ALLOW)));
    }
    try (org.apache.kafka.clients.admin.Admin a =
        org.apache.kafka.clients.admin.Admin.create(adminProps)) {
      a.createAcls(old).all().get(30, TimeUnit.SECONDS);
    }
    io.lifeboat.testkit.Eventually.until(
        "the old grant to take effect",
        Duration.ofSeconds(30),
        () -> {
          try {
            send(as(Principals.CLI), Topics.ALERTS);
            return true;
          } catch (Exception e) {
            return false;
          }
        });
    Cli.Result upgraded = setup(admin, "single");
    assertThat(upgraded.exit()).as(upgraded.out() + upgraded.err()).isZero();
    refusedToTheCommandLine(Topics.AUDIT, Topics.BACKUP_DELETIONS, Topics.ALERTS);
    send(as(Principals.CLI), Topics.BACKUP_VERIFY_REQUESTS); // what it asks instead, single mode
  }

  static void refusedToTheCommandLine(TopicSpec<?>... topics) {
    // not idempotent: in roles mode lifeboat-cli writes no topic at all, so an idempotent producer
    // is refused earlier, by the cluster (ClusterAuthorizationException); this asks each topic
    Map<String, Object> cli = as(Principals.CLI);
    cli.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    for (TopicSpec<?> t : topics) {
      assertThatThrownBy(() -> send(cli, t))
          .as("lifeboat-cli writing %s", t.name())
          .satisfies(t2 -> assertThat(cause(t2)).isInstanceOf(TopicAuthorizationException.class));
    }
  }

  /** kafka-setup as the principal whose client properties are in {@code admin}. */
  static Cli.Result setup(Path admin, String mode) {
    return Cli.run(
        new String[] {
          "kafka-setup",
          "--bootstrap",
          bootstrap,
          "--admin-properties",
          admin.toString(),
          "--replication-factor",
          "1",
          "--auth-mode",
          mode
        });
  }

  @Test
  void theScheduler_firesAsItsOwnPrincipal_andHearsHowItsBackupEnded() throws Exception {
    String name = "auth-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    Cli.Result created =
        Cli.run(
            new String[] {
              "schedule",
              "create",
              name,
              "--cron",
              "*/2 * * * * *",
              "files:/nonexistent-" + name,
              "--home",
              home.toString(),
              "--bootstrap",
              bootstrap
            });
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    try {
      // the scheduler read the schedule, wrote the request, read the rejection and wrote an alert:
      // each only as its own principal allows
      io.lifeboat.testkit.Eventually.until(
          "the scheduler's alert about its rejected backup",
          Duration.ofSeconds(60),
          () ->
              RecoveryEvents.all(Topics.ALERTS, bootstrap, as(Principals.CLI)).stream()
                  .anyMatch(
                      a -> a.getKind().equals("schedule.rejected") && a.getSubject().equals(name)));
    } finally {
      Cli.run(
          new String[] {
            "schedule", "delete", name, "--home", home.toString(), "--bootstrap", bootstrap
          });
    }
  }

  @Test
  void aBrokerFormattedBeforeAPrincipalExisted_getsItsUserAtTheNextStart() throws Exception {
    Path dir = Files.createTempDirectory("lifeboat-upgrade");
    Path credentials = dir.resolve("kafka-credentials");
    int port = FreePorts.pair();
    io.lifeboat.cli.allinone.EmbeddedBroker broker =
        new io.lifeboat.cli.allinone.EmbeddedBroker(
                dir.resolve("kafka"), credentials, port, port + 1)
            .start();
    broker.close();
    // as a version without the scheduler left it: no user, no credentials file
    Path file = KafkaCredentials.file(credentials, Principals.SCHEDULER);
    Files.delete(file);
    broker =
        new io.lifeboat.cli.allinone.EmbeddedBroker(
                dir.resolve("kafka"), credentials, port, port + 1)
            .start();
    try {
      assertThat(file).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      Map<String, Object> p = broker.clientProperties(Principals.SCHEDULER);
      try (org.apache.kafka.clients.admin.Admin a =
          org.apache.kafka.clients.admin.Admin.create(p)) {
        // authenticated as the new user (a wrong password fails the SASL handshake)
        assertThat(a.describeCluster().clusterId().get(15, TimeUnit.SECONDS)).isNotBlank();
      }
    } finally {
      broker.close();
    }
  }
}
