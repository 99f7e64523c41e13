package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.client.BackupManager;
import io.lifeboat.client.BackupRequest;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.local.LocalBackend;
import io.lifeboat.events.Topics;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.LifeboatClientException;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import io.lifeboat.testkit.SqlFixtures;
import io.lifeboat.testkit.TestBroker;
import io.lifeboat.testkit.TreeFixture;
import io.lifeboat.testkit.TreeSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every component kind through the pipeline against the real servers: PostgreSQL, MariaDB, Redis,
 * configuration, secrets (folder and environment), logs and artifacts in one backup, each restored
 * into a different target and proven equal; restoring over an existing database keeps the original
 * aside and puts it back when the restore fails; bad sources are rejected with reasons.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class ComponentsEndToEndIT {

  static final String RUN = "lbe2e_" + UUID.randomUUID().toString().substring(0, 8);
  static final JsonMapper JSON = JsonMapper.builder().build();
  static AllInOne lifeboat;
  static Path home;
  static Path repoDir;
  static Path keyFile;
  static Path files;
  static String api;
  static String backupId;

  static String pgSource() {
    return "postgres://postgres@" + DbTools.PG + "/" + RUN + "_pg";
  }

  static String mySource() {
    return "mysql://root@" + DbTools.MY + "/" + RUN + "_my";
  }

  static String redis(int db) {
    return "redis://" + DbTools.REDIS + "/" + db + "?keyPattern=" + RUN + ":*";
  }

  @BeforeAll
  static void start() throws Exception {
    for (String[] s :
        new String[][] {
          {"postgres", DbTools.PG}, {"mariadb", DbTools.MY}, {"redis", DbTools.REDIS}
        }) {
      String[] hp = s[1].split(":");
      RequiredServers.assume(
          s[0], FreePorts.listening(hp[0], Integer.parseInt(hp[1])), "nothing listens on " + s[1]);
    }
    home = Files.createTempDirectory("lifeboat-components");
    repoDir = home.resolve("repository");
    keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    Repository.init(
        new LocalBackend(repoDir, true),
        key,
        new ChunkerParams(64 * 1024, 256 * 1024, 1024 * 1024, 3L));
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
                Map.of("lifeboat.catalog.application-id", "catalog-" + RUN)),
            System.out);
    api = lifeboat.apiUrl();

    DbTools.execute(DbTools.pg("postgres"), List.of("CREATE DATABASE " + RUN + "_pg"));
    DbTools.execute(DbTools.pg(RUN + "_pg"), SqlFixtures.postgres(300_000));
    DbTools.execute(
        DbTools.my(""), List.of("CREATE DATABASE " + RUN + "_my CHARACTER SET utf8mb4"));
    DbTools.execute(DbTools.my(RUN + "_my"), SqlFixtures.mariadb(200_000));
    DbTools.redisCli("-n", "9", "SET", RUN + ":string", "hello");
    DbTools.redisCli("-n", "9", "HSET", RUN + ":hash", "a", "1", "b", "2");
    DbTools.redisCli("-n", "9", "RPUSH", RUN + ":list", "x", "y", "z");
    DbTools.redisCli("-n", "9", "SADD", RUN + ":set", "m1", "m2");
    DbTools.redisCli("-n", "9", "ZADD", RUN + ":zset", "1", "one", "2", "two");
    DbTools.redisCli("-n", "9", "SET", RUN + ":ttl", "short-lived", "EX", "86400");

    files =
        Files.createTempDirectory("lifeboat-sources")
            .resolve("sources"); // outside the home: the dump stage never reads Lifeboat's home
    Path config = Files.createDirectories(files.resolve("etc/app"));
    Files.writeString(config.resolve("app.yaml"), "server:\n  port: 8443\n");
    Files.writeString(config.resolve("flags.json"), "{\"dark\": true}");
    Files.writeString(config.resolve("db.toml"), "[db]\nhost = \"db\"\n");
    Files.writeString(config.resolve("app.properties"), "a=1\n");
    Path secrets = Files.createDirectories(files.resolve("run/secrets"));
    Files.writeString(secrets.resolve("db-password"), "correct horse battery staple");
    Path logs = Files.createDirectories(files.resolve("var/log/app"));
    Files.writeString(logs.resolve("app.log"), "line\n".repeat(20_000));
    Files.writeString(logs.resolve("app.log.1.gz"), "rotated");
    TreeFixture.createTrickyTree(files.resolve("srv/releases"), 2 * 1024 * 1024);
  }

  @AfterAll
  static void stop() throws Exception {
    if (lifeboat != null) {
      lifeboat.close();
    }
    try (Statement s = DbTools.pg("postgres").createStatement()) {
      List<String> dbs = new ArrayList<>();
      try (ResultSet r =
          s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + RUN + "%'")) {
        while (r.next()) {
          dbs.add(r.getString(1));
        }
      }
      for (String db : dbs) {
        s.execute("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
      }
    }
    try (Statement s = DbTools.my("").createStatement()) {
      List<String> dbs = new ArrayList<>();
      try (ResultSet r =
          s.executeQuery(
              "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '"
                  + RUN
                  + "%'")) {
        while (r.next()) {
          dbs.add(r.getString(1));
        }
      }
      for (String db : dbs) {
        s.execute("DROP DATABASE IF EXISTS `" + db + "`");
      }
    }
    for (int db = 9; db <= 11; db++) {
      for (String k :
          DbTools.redisCli("-n", Integer.toString(db), "--scan", "--pattern", RUN + ":*")
              .lines()
              .toList()) {
        DbTools.redisCli("-n", Integer.toString(db), "DEL", k);
      }
    }
  }

  static String[] cli(String... args) {
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
            TestBroker.bootstrapServers(),
            "--api",
            api));
    return all.toArray(String[]::new);
  }

  @Test
  @Order(1)
  void everyKind_inOneBackup_throughThePipeline() throws Exception {
    Cli.Result r =
        Cli.run(
            cli(
                "backup",
                pgSource().replace("postgres@", "postgres:not-needed-with-trust@"),
                mySource(),
                redis(9),
                "config:" + files.resolve("etc/app"),
                "secrets:" + files.resolve("run/secrets"),
                "secrets:env:HOM*",
                "logs:" + files.resolve("var/log/app") + "?include=*.log",
                "artifacts:" + files.resolve("srv/releases"),
                "--name",
                "environment",
                "--wait",
                "--json"));

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonNode b = JSON.readTree(r.out());
    backupId = b.get("backupId").asString();
    assertThat(b.get("status").asString()).isEqualTo("SUCCESS");
    assertThat(b.get("components")).hasSize(8);
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    b.get("components").forEach(c -> byName.put(c.get("name").asString(), c));
    assertThat(byName.get("postgres").get("metadata").get("rows.sales.orders").asString())
        .isEqualTo("300000");
    assertThat(byName.get("postgres").get("source").asString())
        .isEqualTo(pgSource().replace("postgres@", "postgres@"));
    assertThat(byName.get("mysql").get("metadata").get("rows.orders").asString())
        .isEqualTo("200000");
    assertThat(byName.get("redis").get("metadata").get("keys").asString()).isEqualTo("6");
    assertThat(byName.get("secrets").get("metadata").get("names").asString())
        .isEqualTo("db-password");
    assertThat(byName.get("secrets-2").get("metadata").get("names").asString()).isEqualTo("HOME");
    assertThat(byName.get("logs").get("metadata").get("files").asString()).isEqualTo("1");
    assertThat(r.out()).doesNotContain("not-needed-with-trust").doesNotContain("correct horse");
  }

  @Test
  @Order(2)
  void noPasswordOrSecretValue_reachesKafkaOrTheCatalog() throws Exception {
    String all = allEvents();
    assertThat(all)
        .contains(backupId)
        .doesNotContain("not-needed-with-trust")
        .doesNotContain("correct horse");
    String catalogJson =
        JSON.writeValueAsString(new CatalogClient(api).get(backupId).orElseThrow());
    assertThat(catalogJson)
        .doesNotContain("not-needed-with-trust")
        .doesNotContain("correct horse")
        .contains("db-password");
  }

  static String allEvents() {
    StringBuilder b = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestBroker.bootstrapServers(),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Topics.MAX_MESSAGE_BYTES),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (var t :
          List.of(
              Topics.BACKUP_REQUESTS,
              Topics.BACKUP_COMPONENTS,
              Topics.BACKUP_DUMPS,
              Topics.BACKUP_COMPLETIONS,
              Topics.BACKUP_REJECTIONS,
              Topics.ALERTS,
              Topics.CHUNKS_STORED)) {
        for (int p = 0; p < t.partitions(); p++) {
          parts.add(new TopicPartition(t.name(), p));
        }
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      for (int i = 0; i < 20; i++) {
        c.poll(Duration.ofMillis(200))
            .forEach(r -> b.append(new String(r.value(), StandardCharsets.ISO_8859_1)));
      }
    }
    return b.toString();
  }

  @Test
  @Order(3)
  void everyComponent_restoresIntoANewTarget_andIsEqual() throws Exception {
    Path out = Files.createTempDirectory("lifeboat-restore").resolve("restored");
    Cli.Result r =
        Cli.run(
            cli(
                "restore",
                backupId,
                "--target",
                "postgres=postgres://postgres@" + DbTools.PG + "/" + RUN + "_pg_copy",
                "--target",
                "mysql=mysql://root@" + DbTools.MY + "/" + RUN + "_my_copy",
                "--target",
                "redis=" + redis(10),
                "--target",
                "secrets-2=" + out.resolve("home.env"),
                "--to",
                out.toString()));

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("healthy: 300000 rows".substring(0, 9));
    assertThat(DbTools.pgDump(RUN + "_pg_copy")).isEqualTo(DbTools.pgDump(RUN + "_pg"));
    assertThat(DbTools.myDump(RUN + "_my_copy")).isEqualTo(DbTools.myDump(RUN + "_my"));
    for (String key : List.of("string", "hash", "list", "set", "zset", "ttl")) {
      assertThat(DbTools.redisCli("-n", "10", "DUMP", RUN + ":" + key).isEmpty()).as(key).isFalse();
    }
    assertThat(DbTools.redisCli("-n", "10", "LRANGE", RUN + ":list", "0", "-1"))
        .isEqualTo("x\ny\nz");
    assertThat(Long.parseLong(DbTools.redisCli("-n", "10", "TTL", RUN + ":ttl"))).isPositive();
    assertThat(
            TreeSnapshot.of(files.resolve("etc/app")).diff(TreeSnapshot.of(out.resolve("config"))))
        .isEmpty();
    assertThat(
            TreeSnapshot.of(files.resolve("srv/releases"))
                .diff(TreeSnapshot.of(out.resolve("artifacts"))))
        .isEmpty();
    assertThat(out.resolve("logs/app.log"))
        .hasSameTextualContentAs(files.resolve("var/log/app/app.log"));
    assertThat(out.resolve("logs/app.log.1.gz")).doesNotExist();
    assertThat(out.resolve("secrets/db-password")).hasContent("correct horse battery staple");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("secrets/db-password"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(out.resolve("home.env")))
        .isEqualTo("HOME='" + System.getenv("HOME") + "'\n");
  }

  @Test
  @Order(4)
  void restoreOverAnExistingDatabase_keepsItAside_andPutsItBackWhenTheRestoreFails()
      throws Exception {
    String target = RUN + "_pg_live";
    DbTools.execute(DbTools.pg("postgres"), List.of("CREATE DATABASE " + target));
    DbTools.execute(
        DbTools.pg(target),
        List.of("CREATE TABLE current_data (id int)", "INSERT INTO current_data VALUES (42)"));
    String before = DbTools.pgDump(target);

    Cli.Result refused =
        Cli.run(
            cli(
                "restore",
                backupId,
                "--component",
                "postgres",
                "--to",
                "postgres://postgres@" + DbTools.PG + "/" + target));
    assertThat(refused.exit()).isEqualTo(4);
    assertThat(refused.err()).contains("exists and holds data").contains("--replace");

    // A damaged chunk near the end of the component: the restore fails after pg_restore wrote data.
    Manifest m =
        Repository.open(new LocalBackend(repoDir, false), MasterKey.fromFile(keyFile))
            .readManifest(backupId);
    List<String> chunks = m.component("postgres").orElseThrow().chunks();
    Path chunk = repoDir.resolve(RepositoryLayout.chunk(chunks.get(chunks.size() - 2)));
    byte[] original = Files.readAllBytes(chunk);
    byte[] damaged = original.clone();
    damaged[damaged.length / 2] ^= 1;
    Files.write(chunk, damaged);
    Cli.Result failed;
    try {
      failed =
          Cli.run(
              cli(
                  "restore",
                  backupId,
                  "--component",
                  "postgres",
                  "--replace",
                  "--to",
                  "postgres://postgres@" + DbTools.PG + "/" + target));
    } finally {
      Files.write(chunk, original);
    }
    assertThat(failed.exit()).isEqualTo(4);
    assertThat(failed.err())
        .contains("does not authenticate")
        .contains("rolled back, original put back");
    assertThat(DbTools.pgDump(target)).isEqualTo(before);

    Cli.Result replaced =
        Cli.run(
            cli(
                "restore",
                backupId,
                "--component",
                "postgres",
                "--replace",
                "--to",
                "postgres://postgres@" + DbTools.PG + "/" + target));
    assertThat(replaced.exit()).as(replaced.err()).isZero();
    assertThat(replaced.out()).contains("is kept at " + target + "_lbaside_");
    assertThat(DbTools.pgDump(target)).isEqualTo(DbTools.pgDump(RUN + "_pg"));
    String aside = replaced.out().replaceAll("(?s).*is kept at (\\S+).*", "$1");
    assertThat(DbTools.pgDump(aside)).isEqualTo(before);
  }

  @Test
  @Order(5)
  void unreachableServer_wrongCredentials_missingTool_areRejectedWithTheirCauses()
      throws Exception {
    Cli.Result r =
        Cli.run(
            cli(
                "backup",
                "postgres://postgres@127.0.0.1:" + FreePorts.next() + "/nowhere",
                "mysql://nobody_" + RUN + "@" + DbTools.MY + "/mysql",
                "redis://127.0.0.1:" + FreePorts.next() + "/0",
                "--name",
                "bad-sources",
                "--wait",
                "--json"));
    assertThat(r.exit()).isEqualTo(5);
    String reason = JSON.readTree(r.out()).get("reason").asString();
    assertThat(reason)
        .contains("Connection to 127.0.0.1")
        .contains("Access denied for user 'nobody_")
        .contains("cannot connect to redis");

    System.setProperty("lifeboat.tools.path", home.resolve("no-tools-here").toString());
    try {
      Cli.Result noTool =
          Cli.run(cli("backup", pgSource(), "--name", "no-pg-dump", "--wait", "--json"));
      assertThat(noTool.exit()).isEqualTo(5);
      assertThat(JSON.readTree(noTool.out()).get("reason").asString())
          .contains("pg_dump not found");
    } finally {
      System.clearProperty("lifeboat.tools.path");
    }
  }

  @Test
  @Order(6)
  void brokenConfigFile_makesTheBackupPartial_namingTheFile() throws Exception {
    Path config = Files.createDirectories(files.resolve("broken-config"));
    Files.writeString(config.resolve("ok.yaml"), "a: 1\n");
    Files.writeString(config.resolve("broken.yaml"), "a: [1\n");
    Cli.Result r =
        Cli.run(cli("backup", "config:" + config, "--name", "partial", "--wait", "--json"));
    assertThat(r.exit()).isEqualTo(3);
    JsonNode b = JSON.readTree(r.out());
    assertThat(b.get("status").asString()).isEqualTo("PARTIAL");
    assertThat(b.get("reason").asString()).contains("broken.yaml: invalid YAML at line");
    assertThat(b.get("manifestChecksum").isNull()).isFalse();
  }

  @Test
  @Order(7)
  void passwordInAURI_withoutTheKey_isNeverPublished() {
    try (BackupManager m = new BackupManager(TestBroker.bootstrapServers())) {
      assertThatThrownBy(
              () ->
                  m.request(
                      BackupRequest.named("x").component("postgres://app:pw@db/shop").build()))
          .isInstanceOf(LifeboatClientException.class)
          .hasMessageContaining("without the master key");
    }
  }

  @Test
  @Order(8)
  void aBackupOfOneDatabase_restoresWithToASpecOfItsKind() throws Exception {
    Cli.Result b = Cli.run(cli("backup", pgSource(), "--name", "pg-only", "--wait", "--json"));
    assertThat(b.exit()).as(b.err()).isZero();
    String id = JSON.readTree(b.out()).get("backupId").asString();

    Cli.Result wrongKind = Cli.run(cli("restore", id, "--to", "redis://" + DbTools.REDIS + "/5"));
    assertThat(wrongKind.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrongKind.err()).contains("is postgres, but --to names a redis target");

    String target = RUN + "_pg_single";
    Cli.Result r =
        Cli.run(cli("restore", id, "--to", "postgres://postgres@" + DbTools.PG + "/" + target));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(DbTools.pgDump(target)).isEqualTo(DbTools.pgDump(RUN + "_pg"));
  }
}
