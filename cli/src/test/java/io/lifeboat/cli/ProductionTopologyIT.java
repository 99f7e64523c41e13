package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.ChunkSealed;
import io.lifeboat.events.ChunkStored;
import io.lifeboat.events.Topics;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.TreeSnapshot;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The topology of {@code docker-compose.yml}, without Docker: a 3-broker KRaft cluster, the
 * repository and keys made by {@code lifeboat init}, the topics by {@code lifeboat kafka-setup
 * --replication-factor 3}, and every service as its own JVM with the environment the compose file
 * gives it (its main class, its home, the repository and key only where compose mounts them; SASL
 * aside, which KafkaAuthIT covers), with two instances of the seal and the upload stages. A backup
 * runs while one seal instance is killed (SIGKILL) in the middle of it: the other takes over, the
 * backup completes, every chunk is sealed and stored exactly once, and a restore through the
 * coordinator's API (executed by the dump service's recovery executor) gives back the data.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ProductionTopologyIT {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String TOKEN = "topology-" + Long.toHexString(new Random().nextLong());
  static KafkaClusterTestKit cluster;
  static Path root;
  static Path repository;
  static Path keyFile;
  static Path commandKeyHome;
  static String catalogUrl;
  static String coordinatorUrl;
  static final Map<String, Process> services = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-topology");
    cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(false)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(3)
                    .build())
            // what the compose file's brokers are given
            .setConfigProp("message.max.bytes", "17825792")
            .setConfigProp("replica.fetch.max.bytes", "17825792")
            .setConfigProp("offsets.topic.replication.factor", "3")
            .setConfigProp("transaction.state.log.replication.factor", "3")
            .setConfigProp("transaction.state.log.min.isr", "2")
            .setConfigProp("min.insync.replicas", "2")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("auto.create.topics.enable", "false")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    String bootstrap = cluster.bootstrapServers();

    // the compose file's one-off services: init, then kafka-setup
    repository = root.resolve("repository");
    keyFile = root.resolve("key/key");
    commandKeyHome = root.resolve("command-key");
    Files.createDirectories(keyFile.getParent());
    Cli.Result init =
        Cli.run(
            "init",
            "--home",
            commandKeyHome.toString(),
            "--repo",
            repository.toString(),
            "--key-file",
            keyFile.toString());
    assertThat(init.exit()).as(init.out() + init.err()).isZero();
    Cli.Result setup =
        Cli.run("kafka-setup", "--bootstrap", bootstrap, "--no-acls", "--replication-factor", "3");
    assertThat(setup.exit()).as(setup.out() + setup.err()).isZero();

    int catalogPort = freePort();
    int coordinatorPort = freePort();
    catalogUrl = "http://127.0.0.1:" + catalogPort;
    coordinatorUrl = "http://127.0.0.1:" + coordinatorPort;
    String commandKey = commandKeyHome.resolve("recovery-command.key").toString();

    start(
        "dump",
        "io.lifeboat.stage.dump.DumpStageApplication",
        withKey(Map.of("LIFEBOAT_RECOVERY_EXECUTOR_COMMANDKEYFILE", commandKey)));
    for (int i = 1; i <= 2; i++) {
      start(
          "compress-encrypt-" + i,
          "io.lifeboat.stage.seal.SealStageApplication",
          withKey(Map.of()));
      start(
          "upload-" + i,
          "io.lifeboat.stage.upload.UploadStageApplication",
          Map.of("LIFEBOAT_REPOSITORY", repository.toString())); // storage only, no key
    }
    start("verify", "io.lifeboat.stage.verify.VerifyStageApplication", withKey(Map.of()));
    start(
        "catalog",
        "io.lifeboat.catalog.CatalogApplication",
        Map.of("SERVER_PORT", Integer.toString(catalogPort)));
    start(
        "coordinator",
        "io.lifeboat.recovery.CoordinatorApplication",
        Map.of(
            "SERVER_PORT", Integer.toString(coordinatorPort),
            "LIFEBOAT_API_TOKEN", TOKEN,
            "LIFEBOAT_RECOVERY_COORDINATOR_CATALOGURL", catalogUrl,
            "LIFEBOAT_RECOVERY_COORDINATOR_COMMANDKEYFILE", commandKey));
    start(
        "scheduler",
        "io.lifeboat.scheduler.SchedulerApplication",
        Map.of("SERVER_PORT", Integer.toString(freePort())));
    start("notifier", "io.lifeboat.notifier.NotifierApplication", Map.of());

    awaitReady(catalogUrl, "catalog");
    awaitReady(coordinatorUrl, "coordinator");
    try (Admin admin = admin()) {
      for (Map.Entry<String, Integer> group :
          Map.of(
                  "lifeboat-stage-dump", 1,
                  "lifeboat-stage-seal", 2,
                  "lifeboat-stage-upload", 2,
                  "lifeboat-stage-verify", 1,
                  "lifeboat-recovery-executor", 1)
              .entrySet()) {
        Eventually.until(
            group.getKey() + " to have " + group.getValue() + " member process(es)",
            Duration.ofMinutes(3),
            () -> {
              checkAlive();
              return admin
                      .describeConsumerGroups(List.of(group.getKey()))
                      .all()
                      .get(10, TimeUnit.SECONDS)
                      .get(group.getKey())
                      .members()
                      .stream()
                      .map(m -> m.clientId().replaceAll("-\\d+$", "") + m.host())
                      .map(m -> m)
                      .count()
                  >= group.getValue();
            });
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    services.values().forEach(Process::destroy);
    for (Process p : services.values()) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aBackupSurvivesLosingOneSealInstance_nothingSealedOrStoredTwice_andRestores()
      throws Exception {
    Path source = Files.createDirectories(root.resolve("data/app"));
    Files.writeString(source.resolve("app.yaml"), "port: 8443\n");
    Path big = Files.createDirectories(root.resolve("data/big"));
    for (int i = 0; i < 3; i++) {
      byte[] data = new byte[24_000_000];
      new Random(300 + i).nextBytes(data);
      Files.write(big.resolve("part" + i + ".bin"), data); // 72 MB, incompressible
    }

    String backupId =
        json(Cli.run(
                "backup",
                "files:" + source,
                "files:" + big,
                "--name",
                "topology",
                "--bootstrap",
                cluster.bootstrapServers(),
                "--json"))
            .get("backupId")
            .asString();
    // the first component is dumped: the second (72 MB) is on its way through both seal instances
    Eventually.until(
        "backup " + backupId + " to be running", () -> "RUNNING".equals(status(backupId)));
    Process victim = services.get("compress-encrypt-1");
    victim.destroyForcibly(); // SIGKILL: no goodbye to the group, an open transaction left behind
    assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(status(backupId)).as("killed in the middle of the backup").isEqualTo("RUNNING");

    Eventually.until(
        "backup " + backupId + " to end",
        Duration.ofMinutes(5),
        () -> List.of("SUCCESS", "PARTIAL", "FAILED", "CANCELLED").contains(status(backupId)));
    assertThat(status(backupId)).isEqualTo("SUCCESS");

    // exactly once: every chunk of this backup sealed once and written to storage once
    Map<String, Object> committed = Map.of("isolation.level", "read_committed");
    List<ChunkSealed> sealed =
        RecoveryEvents.all(Topics.CHUNKS_SEALED, cluster.bootstrapServers(), committed).stream()
            .filter(c -> backupId.equals(c.getBackupId()))
            .toList();
    List<ChunkStored> stored =
        RecoveryEvents.all(Topics.CHUNKS_STORED, cluster.bootstrapServers(), committed).stream()
            .filter(c -> backupId.equals(c.getBackupId()))
            .toList();
    BackupCompleted completed =
        RecoveryEvents.all(Topics.BACKUP_COMPLETIONS, cluster.bootstrapServers(), committed)
            .stream()
            .filter(c -> backupId.equals(c.getBackupId()))
            .findFirst()
            .orElseThrow();
    assertThat(sealed).hasSize(completed.getNewChunks());
    assertThat(duplicates(sealed, ChunkSealed::getChunkId)).as("chunks sealed twice").isEmpty();
    assertThat(
            duplicates(
                stored.stream().filter(ChunkStored::getWritten).toList(), ChunkStored::getChunkId))
        .as("chunks written twice")
        .isEmpty();
    assertThat(stored.stream().map(ChunkStored::getChunkId).distinct().count())
        .isEqualTo(completed.getNewChunks());

    // restore through the coordinator's API: the dump service's recovery executor does it
    Path target = root.resolve("restored/big");
    HttpResponse<String> accepted =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(coordinatorUrl + "/api/backups/" + backupId + "/restore"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"targets\": {\"files-2\": \"" + target + "\"}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String executionId = JSON.readTree(accepted.body()).get("executionId").asString();
    Eventually.until(
        "restore " + executionId + " to end",
        Duration.ofMinutes(3),
        () -> {
          String s =
              get(catalogUrl + "/api/recoveries/" + executionId)
                  .map(n -> n.get("status").asString())
                  .orElse("");
          return List.of("SUCCEEDED", "FAILED", "INVALID", "ROLLED_BACK").contains(s);
        });
    JsonNode execution = get(catalogUrl + "/api/recoveries/" + executionId).orElseThrow();
    assertThat(execution.get("status").asString()).as(execution.toString()).isEqualTo("SUCCEEDED");
    assertThat(TreeSnapshot.of(big).diff(TreeSnapshot.of(target))).isEmpty();
  }

  private static <T> List<String> duplicates(List<T> events, Function<T, String> id) {
    return events.stream()
        .collect(Collectors.groupingBy(id, Collectors.counting()))
        .entrySet()
        .stream()
        .filter(e -> e.getValue() > 1)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static String status(String backupId) throws Exception {
    return get(catalogUrl + "/api/backups/" + backupId)
        .map(n -> n.get("status").asString())
        .orElse("");
  }

  private static java.util.Optional<JsonNode> get(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200
        ? java.util.Optional.of(JSON.readTree(r.body()))
        : java.util.Optional.empty();
  }

  private static JsonNode json(Cli.Result r) {
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private static Map<String, String> withKey(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("LIFEBOAT_REPOSITORY", repository.toString());
    env.put("LIFEBOAT_KEY_FILE", keyFile.toString());
    return env;
  }

  /** One service of the compose file, as its own JVM. */
  private static void start(String name, String mainClass, Map<String, String> env)
      throws Exception {
    Path home = Files.createDirectories(root.resolve("home-" + name));
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", // ten JVMs on two cores: no GC threads of their own each
            "-cp",
            System.getProperty("java.class.path"),
            mainClass);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(root.resolve(name + ".log").toFile());
    Map<String, String> e = pb.environment();
    // the compose file's x-kafka-client, without SASL
    e.put("LIFEBOAT_BOOTSTRAP", cluster.bootstrapServers());
    e.put("LIFEBOAT_KAFKA_PROVISIONTOPICS", "false");
    e.put("LIFEBOAT_HOME", home.toString());
    e.put("LIFEBOAT_API", catalogUrl);
    e.put("LIFEBOAT_KAFKA_CLIENT_SESSION_TIMEOUT_MS", "15000");
    e.put("LIFEBOAT_KAFKA_CLIENT_TRANSACTION_TIMEOUT_MS", "30000");
    e.put("LIFEBOAT_METRICS_PORT", "0"); // many services on one host here
    e.put("SERVER_ADDRESS", "127.0.0.1");
    e.putAll(env);
    services.put(name, pb.start());
  }

  private static void checkAlive() {
    services.forEach(
        (name, p) -> {
          if (!p.isAlive() && !name.equals("compress-encrypt-1")) {
            throw new AssertionError(
                "service " + name + " exited; see " + root + File.separator + name + ".log");
          }
        });
  }

  private static void awaitReady(String url, String name) {
    Eventually.until(
        "the " + name + " service to be ready",
        Duration.ofMinutes(3),
        () -> {
          checkAlive();
          try {
            return HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode()
                == 200;
          } catch (java.io.IOException notYet) {
            return false;
          }
        });
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
