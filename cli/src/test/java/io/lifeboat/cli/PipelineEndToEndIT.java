package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.client.BackupManager;
import io.lifeboat.client.BackupOutcome;
import io.lifeboat.client.BackupRequest;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.local.LocalBackend;
import io.lifeboat.events.DeadLetterHeaders;
import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.CatalogQuery;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.TestBroker;
import io.lifeboat.testkit.TreeFixture;
import io.lifeboat.testkit.TreeSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The walking skeleton end to end: the `lifeboat` command and the client against every stage and
 * the catalog on a real in-process KRaft broker, with a real repository folder. Ordered: later
 * tests build on the backups earlier ones made, and the last one stops Kafka.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class PipelineEndToEndIT {

  static EmbeddedKafkaKraftBroker broker;
  static AllInOne lifeboat;
  static Path home;
  static Path repoDir;
  static Path keyFile;
  static Path source;
  static String first;
  static String third;
  static String api;
  static final JsonMapper JSON = JsonMapper.builder().build();

  @BeforeAll
  static void start() throws Exception {
    broker = TestBroker.start();
    home = Files.createTempDirectory("lifeboat-e2e");
    repoDir = home.resolve("repository");
    keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    // Small chunks, so a few MiB make dozens of chunks and dedup is visible.
    Repository.init(
        new LocalBackend(repoDir, true),
        key,
        new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, 7L));
    lifeboat =
        AllInOne.start(
            new AllInOne.Options(
                home,
                repoDir.toString(),
                java.util.List.of(),
                keyFile,
                0,
                0,
                broker.getBrokersAsString(),
                Map.of("lifeboat.stage.verify.no-progress-timeout", "60s")),
            System.out);
    api = lifeboat.apiUrl();
    source =
        TreeFixture.createTrickyTree(
            Files.createTempDirectory("lifeboat-sources").resolve("source"),
            3 * 1024 * 1024); // outside the home: the dump stage never reads Lifeboat's home
  }

  @AfterAll
  static void stop() {
    if (lifeboat != null) {
      lifeboat.close();
    }
    if (broker != null) {
      broker.destroy();
    }
  }

  static String[] withSettings(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--home",
            home.toString(),
            "--repo",
            repoDir.toString(),
            "--key-file",
            keyFile.toString(),
            "--bootstrap",
            broker.getBrokersAsString(),
            "--api",
            api));
    return all.toArray(String[]::new);
  }

  static JsonNode backupWithCli(Path tree) {
    Cli.Result r =
        Cli.run(
            withSettings(
                "backup",
                "files:" + tree,
                "--name",
                "e2e",
                "--label",
                "suite=e2e",
                "--wait",
                "--json"));
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    return JSON.readTree(r.out());
  }

  static long chunkObjects() throws Exception {
    try (Stream<Path> s = Files.walk(repoDir.resolve("chunks"))) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .count();
    }
  }

  @Test
  @Order(1)
  void backup_trickyTree_thenRestore_isByteIdenticalWithMetadata() throws Exception {
    JsonNode b = backupWithCli(source);

    assertThat(b.get("status").asString()).isEqualTo("SUCCESS");
    assertThat(b.get("sizeBytes").asLong()).isGreaterThan(3 * 1024 * 1024);
    assertThat(b.get("newChunks").asInt()).isGreaterThan(20);
    assertThat(b.get("storedBytes").asLong()).isPositive();
    assertThat(b.get("durationMs").asLong()).isPositive();
    assertThat(b.get("manifestChecksum").asString()).hasSize(64);
    first = b.get("backupId").asString();
    assertThat(chunkObjects()).isEqualTo(b.get("newChunks").asLong());

    Path target = Files.createTempDirectory("lifeboat-restore").resolve("restore-1");
    Cli.Result r = Cli.run(withSettings("restore", first, "--to", target.toString()));

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(TreeSnapshot.of(source).diff(TreeSnapshot.of(target))).isEmpty();
  }

  @Test
  @Order(2)
  void secondBackup_ofUnchangedTree_storesNoNewChunkObjects() throws Exception {
    long before = chunkObjects();
    JsonNode b = backupWithCli(source);

    assertThat(b.get("status").asString()).isEqualTo("SUCCESS");
    assertThat(b.get("newChunks").asInt()).isZero();
    assertThat(b.get("storedBytes").asLong()).isZero();
    assertThat(b.get("dedupedChunks").asInt()).isGreaterThan(20);
    assertThat(chunkObjects()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void smallChange_storesOnlyTheChangedChunks() throws Exception {
    long before = chunkObjects();
    TreeFixture.flipOneByte(source.resolve("big/large.bin"), 1_500_000);

    JsonNode b = backupWithCli(source);

    assertThat(b.get("newChunks").asInt()).isBetween(1, 3);
    third = b.get("backupId").asString();
    assertThat(chunkObjects()).isEqualTo(before + b.get("newChunks").asInt());
    Path target = Files.createTempDirectory("lifeboat-restore").resolve("restore-3");
    assertThat(
            Cli.run(
                    withSettings(
                        "restore", b.get("backupId").asString(), "--to", target.toString()))
                .exit())
        .isZero();
    assertThat(TreeSnapshot.of(source).diff(TreeSnapshot.of(target))).isEmpty();
  }

  @Test
  @Order(4)
  void catalog_listsFiltersAndShowsBackups() throws Exception {
    CatalogClient catalog = new CatalogClient(api);
    List<BackupView> mine =
        awaitCatalog(
            catalog, new CatalogQuery("e2e", null, "SUCCESS", "suite=e2e", null, null, null), 3);

    assertThat(mine).hasSize(3);
    assertThat(mine.get(2).backupId()).isEqualTo(first);
    assertThat(catalog.list(new CatalogQuery(null, "files", null, null, null, null, 1))).hasSize(1);
    assertThat(catalog.list(new CatalogQuery(null, null, null, "suite=other", null, null, null)))
        .isEmpty();
    assertThat(catalog.get("no-such-backup")).isEmpty();

    BackupView one = catalog.get(first).orElseThrow();
    assertThat(one.components())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo("files");
              assertThat(c.metadata()).containsEntry("symlinks", "4");
            });

    Cli.Result list = Cli.run(withSettings("list", "--json", "--name", "e2e"));
    assertThat(list.exit()).isZero();
    assertThat(list.out().lines())
        .hasSize(3)
        .allSatisfy(line -> assertThat(JSON.readTree(line).has("dedupedChunks")).isTrue());
    Cli.Result show = Cli.run(withSettings("show", first));
    assertThat(show.out()).contains("SUCCESS").contains("files [files]");
    assertThat(Cli.run(withSettings("show", "no-such-backup")).exit()).isEqualTo(1);
  }

  static List<BackupView> awaitCatalog(CatalogClient catalog, CatalogQuery q, int count) {
    return Eventually.await(
        "the catalog to list " + count + " backups for " + q,
        () -> catalog.list(q),
        found -> found.size() >= count);
  }

  @Test
  @Order(5)
  void verify_findsAFlippedByteInAStoredChunk_andRestoreRefusesIt() throws Exception {
    assertThat(Cli.run(withSettings("verify", first)).exit()).isZero();
    Manifest m =
        Repository.open(new LocalBackend(repoDir, false), MasterKey.fromFile(keyFile))
            .readManifest(first);
    String victim = m.components().get(0).chunks().get(3);
    Path file = repoDir.resolve(RepositoryLayout.chunk(victim));
    byte[] original = Files.readAllBytes(file);
    byte[] damaged = original.clone();
    damaged[damaged.length / 2] ^= 0x01;
    Files.write(file, damaged);
    try {
      Cli.Result v = Cli.run(withSettings("verify", first));
      assertThat(v.exit()).isEqualTo(4);
      assertThat(v.out()).contains("DAMAGED chunk " + victim).contains("does not authenticate");

      Path target = Files.createTempDirectory("lifeboat-restore").resolve("restore-damaged");
      Cli.Result r = Cli.run(withSettings("restore", first, "--to", target.toString()));
      assertThat(r.exit()).isEqualTo(4);
      assertThat(r.err()).contains(victim);
    } finally {
      Files.write(file, original);
    }
    assertThat(Cli.run(withSettings("verify", first)).exit()).isZero();
  }

  @Test
  @Order(6)
  void malformedRecords_goToTheDeadLetterTopic_andTheStagesCarryOn() throws Exception {
    byte[] garbage = "{\"this is\": \"not an event\"}".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      p.send(
              new ProducerRecord<>(
                  Topics.BACKUP_REQUESTS.name(), "junk-request".getBytes(), garbage))
          .get();
      p.send(new ProducerRecord<>(Topics.CHUNKS_RAW.name(), "junk-chunk".getBytes(), garbage))
          .get();
    }

    ConsumerRecord<byte[], byte[]> dead =
        awaitDeadLetter(Topics.BACKUP_REQUESTS, "junk-request", "lifeboat-stage-dump");
    assertThat(dead.value()).isEqualTo(garbage);
    assertThat(header(dead, DeadLetterHeaders.ERROR)).contains("not a BackupRequested event");
    assertThat(header(dead, DeadLetterHeaders.ORIGINAL_TOPIC))
        .isEqualTo(Topics.BACKUP_REQUESTS.name());
    ConsumerRecord<byte[], byte[]> deadChunk = awaitDeadLetter(Topics.CHUNKS_RAW, "junk-chunk");
    assertThat(deadChunk.value()).isEqualTo(garbage);
    assertThat(header(deadChunk, DeadLetterHeaders.CONSUMER_GROUP))
        .isEqualTo("lifeboat-stage-seal");

    Path small = Files.createDirectories(source.getParent().resolve("after-garbage"));
    Files.writeString(small.resolve("still.txt"), "the pipeline carries on");
    try (BackupManager m = new BackupManager(broker.getBrokersAsString())) {
      BackupOutcome o =
          m.requestAndWait(
              BackupRequest.named("after-garbage").component("files:" + small).build(),
              Duration.ofMinutes(2),
              c -> {});
      assertThat(o.succeeded()).as(o.summary()).isTrue();
    }
  }

  static ConsumerRecord<byte[], byte[]> awaitDeadLetter(TopicSpec<?> topic, String key) {
    return awaitDeadLetter(topic, key, null);
  }

  /**
   * @param group only a record dead-lettered by this consumer group (several services read some
   *     topics: the dump stage and the catalog both read requests), or null for any
   */
  static ConsumerRecord<byte[], byte[]> awaitDeadLetter(
      TopicSpec<?> topic, String key, @org.jspecify.annotations.Nullable String group) {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic.deadLetterName(), 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.key() != null
              && key.equals(new String(r.key(), StandardCharsets.UTF_8))
              && (group == null || group.equals(header(r, DeadLetterHeaders.CONSUMER_GROUP)))) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("nothing with key " + key + " reached " + topic.deadLetterName());
  }

  static String header(ConsumerRecord<?, ?> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  @Order(7)
  void invalidRequest_isAnsweredWithARejectionThatSaysWhy() {
    Cli.Result r =
        Cli.run(
            withSettings(
                "backup",
                "nosuchkind:/x",
                "files:" + source.getParent().resolve("does-not-exist"),
                "--name",
                "bad",
                "--wait",
                "--json"));

    assertThat(r.exit()).isEqualTo(5);
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("status").asString()).isEqualTo("REJECTED");
    assertThat(j.get("reason").asString())
        .contains("unknown component kind 'nosuchkind'")
        .contains("does-not-exist does not exist");
  }

  @Test
  @Order(8)
  void restore_withTheWrongKey_failsClearly_andWritesNothing() throws Exception {
    Path otherKey = home.resolve("other-key");
    MasterKey.generate().writeTo(otherKey);
    Path target = Files.createTempDirectory("lifeboat-restore").resolve("restore-wrong-key");
    List<String> args =
        new ArrayList<>(List.of(withSettings("restore", first, "--to", target.toString())));
    args.set(args.indexOf(keyFile.toString()), otherKey.toString());

    Cli.Result r = Cli.run(args.toArray(String[]::new));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("does not open the repository");
    assertThat(r.err()).doesNotContain(Files.readAllLines(otherKey).get(2));
    assertThat(target).doesNotExist();
  }

  @Test
  @Order(9)
  void restore_intoANonEmptyTarget_isRefused_unlessForced() throws Exception {
    Path target =
        Files.createDirectories(Files.createTempDirectory("lifeboat-restore").resolve("occupied"));
    Files.writeString(target.resolve("keep.txt"), "mine");

    Cli.Result refused = Cli.run(withSettings("restore", first, "--to", target.toString()));
    assertThat(refused.exit()).isEqualTo(4);
    assertThat(refused.err()).contains("is not empty");
    try (Stream<Path> s = Files.list(target)) {
      assertThat(s).containsExactly(target.resolve("keep.txt"));
    }

    assertThat(Cli.run(withSettings("restore", first, "--to", target.toString(), "--force")).exit())
        .isZero();
    assertThat(target.resolve("keep.txt")).hasContent("mine");
    assertThat(target.resolve("docs/readme.txt")).exists();
  }

  @Test
  @Order(10)
  void restoreAndVerify_workWithKafkaAndTheCatalogStopped() throws Exception {
    lifeboat.close();
    lifeboat = null;
    broker.destroy();
    broker = null;

    Path target = Files.createTempDirectory("lifeboat-restore").resolve("restore-without-kafka");
    String[] args = {
      "restore",
      third,
      "--to",
      target.toString(),
      "--home",
      home.toString(),
      "--repo",
      repoDir.toString(),
      "--key-file",
      keyFile.toString(),
      "--bootstrap",
      "127.0.0.1:1",
      "--api",
      "http://127.0.0.1:1"
    };
    Cli.Result r = Cli.run(args);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(TreeSnapshot.of(source).diff(TreeSnapshot.of(target))).isEmpty();
    Cli.Result v =
        Cli.run("verify", "latest", "--repo", repoDir.toString(), "--key-file", keyFile.toString());
    assertThat(v.exit()).isZero();
  }
}
