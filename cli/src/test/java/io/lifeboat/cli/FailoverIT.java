package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendRegistry;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import io.lifeboat.testkit.S3ProxyProcess;
import io.lifeboat.testkit.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failover and failback of an environment (issue 18): a PostgreSQL cluster (WAL archived through
 * the pipeline) and a configuration folder, backed up to a repository in one "region" with a
 * replica in another. The primary region goes down (its database server and its storage): {@code
 * lifeboat failover shop --to dr} brings both up in the DR targets from the replica, to the end of
 * the archived WAL, checked, with the RTO and RPO reported. Changes are made in DR; the primary
 * region comes back; {@code lifeboat failback shop --from dr} backs DR up and brings those changes
 * to the primary targets, checked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {

  private static final String SOURCE = "shop-pg";
  private static final String PRIMARY_BUCKET = "region-a";
  private static final String REPLICA_BUCKET = "region-b";

  private static Path root;
  private static Path home;
  private static Path keyFile;
  private static Path s3Jar;
  private static int primaryStoragePort;
  private static Path primaryStorageData;
  private static S3ProxyProcess primaryStorage;
  private static S3ProxyProcess replicaStorage;
  private static String primary;
  private static String replica;
  private static AllInOne lifeboat;
  private static PgCluster pg;
  private static int drPort;

  @BeforeAll
  static void start() throws Exception {
    RequiredServers.assume(
        "postgres",
        PgCluster.available(),
        "PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin), setpriv, and running as root");
    s3Jar = S3ProxyProcess.jar();
    RequiredServers.assume(
        "s3proxy",
        s3Jar != null && Files.isRegularFile(s3Jar),
        "the s3proxy jar (system property lifeboat.test.s3proxy.jar, copied by the cli build) is missing");
    System.setProperty("aws.accessKeyId", S3ProxyProcess.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyProcess.CREDENTIAL);
    root = Files.createTempDirectory("lifeboat-failover");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    primaryStoragePort = FreePorts.next();
    int replicaPort = FreePorts.next();
    primaryStorageData = Files.createDirectories(root.resolve("region-a-storage"));
    primaryStorage = S3ProxyProcess.start(s3Jar, primaryStoragePort, primaryStorageData);
    replicaStorage =
        S3ProxyProcess.start(
            s3Jar, replicaPort, Files.createDirectories(root.resolve("region-b-storage")));
    ReplicationEndToEndIT.createBucket(primaryStoragePort, PRIMARY_BUCKET);
    ReplicationEndToEndIT.createBucket(replicaPort, REPLICA_BUCKET);
    primary = s3(PRIMARY_BUCKET, primaryStoragePort);
    replica = s3(REPLICA_BUCKET, replicaPort);
    home = Files.createTempDirectory("lifeboat-failover-home");
    keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    try (Backend p = BackendRegistry.standard().open(primary);
        Backend r = BackendRegistry.standard().open(replica)) {
      Repository.init(p, key, new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, 13L));
      assertThat(Repository.initReplica(p, r)).isTrue();
    }
    lifeboat =
        AllInOne.start(
            new AllInOne.Options(
                home,
                primary,
                List.of(replica),
                keyFile,
                0,
                0,
                TestBroker.bootstrapServers(),
                Map.of(
                    "lifeboat.catalog.application-id",
                    "catalog-failover-" + System.nanoTime(),
                    "lifeboat.recovery.coordinator.application-id",
                    "coordinator-failover-" + System.nanoTime())),
            System.out);
    String archive = PgCluster.archiveScript(root, SOURCE, TestBroker.bootstrapServers());
    pg = PgCluster.start(root.resolve("primary"), FreePorts.next(), archive + " %p", 30);
    drPort = FreePorts.next();
    Files.createDirectories(root.resolve("dr"));
    Path etc = Files.createDirectories(root.resolve("primary-etc"));
    Files.writeString(etc.resolve("app.conf"), "database_port = " + pg.port + "\nversion = 1\n");
  }

  private static String s3(String bucket, int port) {
    return "s3://"
        + bucket
        + "/lifeboat?region=us-east-1&endpoint=http://127.0.0.1:"
        + port
        + "&retries=2";
  }

  @AfterAll
  static void stop() throws Exception {
    if (root != null) {
      PgCluster.stop(root.resolve("dr/data"));
      PgCluster.stop(root.resolve("primary/data"));
    }
    if (lifeboat != null) {
      lifeboat.close();
    }
    for (S3ProxyProcess s : new S3ProxyProcess[] {primaryStorage, replicaStorage}) {
      if (s != null) {
        s.close();
      }
    }
    if (root != null) {
      PgCluster.deleteTree(root);
    }
  }

  static Cli.Result lifeboat(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--home",
            home.toString(),
            "--repo",
            primary,
            "--replica",
            replica,
            "--key-file",
            keyFile.toString(),
            "--bootstrap",
            TestBroker.bootstrapServers(),
            "--api",
            lifeboat.apiUrl()));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void primaryRegionDown_failoverBringsDatabaseAndConfigurationUpInDr_fromTheReplica()
      throws Exception {
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, placed_in text NOT NULL)");
    }
    Cli.Result base =
        lifeboat(
            "backup",
            pg.spec(SOURCE),
            "config:" + root.resolve("primary-etc"),
            "--name",
            "shop",
            "--wait");
    assertThat(base.exit()).as(base.out() + base.err()).isZero();
    String lastSegment;
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      for (int i = 1; i <= 20; i++) {
        s.execute("INSERT INTO orders VALUES (" + i + ", 'primary')");
      }
      try (ResultSet rs = s.executeQuery("SELECT pg_walfile_name(pg_current_wal_lsn())")) {
        rs.next();
        lastSegment = rs.getString(1);
      }
      s.execute("SELECT pg_switch_wal()");
    }
    Eventually.until(
        "segment " + lastSegment + " (the one with the 20 orders) in the archive",
        Duration.ofSeconds(90),
        () ->
            lifeboat("wal", "status", SOURCE, "--json")
                .out()
                .contains("\"newestSegment\":\"" + lastSegment));
    Path plan = root.resolve("shop.yaml");
    Files.writeString(plan, planYaml());
    Cli.Result created = lifeboat("plan", "create", plan.toString());
    assertThat(created.exit()).as(created.out() + created.err()).isZero();

    // rehearse first: a recovery test into scratch targets beside DR's, checked, torn down
    Cli.Result rehearsal =
        lifeboat("plan", "test", "shop", "--environment", "dr", "--timeout", "PT5M");
    assertThat(rehearsal.exit()).as(rehearsal.out() + rehearsal.err()).isZero();
    assertThat(rehearsal.out()).contains("environment dr").contains("orders-served");
    try (var left = Files.list(root.resolve("dr"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("the rehearsal leaves nothing in DR")
          .isEmpty();
    }

    // region A goes down: its database server and its storage
    PgCluster.stop(root.resolve("primary/data"));
    primaryStorage.close();

    Cli.Result failover = lifeboat("failover", "shop", "--to", "dr", "--timeout", "PT5M");
    System.out.println("FailoverIT: failover:\n" + failover.out());
    assertThat(failover.exit()).as(failover.out() + failover.err()).isZero();
    assertThat(failover.out())
        .contains("environment dr is now active")
        .contains("RPO achieved")
        .contains("RTO");
    assertThat(orders(drPort)).isEqualTo(20);
    assertThat(Files.readString(root.resolve("dr-etc/app.conf"))).contains("version = 1");
  }

  @Test
  @Order(2)
  void regionBack_failbackBringsTheChangesMadeInDrToThePrimaryTargets() throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + drPort + "/postgres", "postgres", "");
        Statement s = c.createStatement()) {
      for (int i = 21; i <= 25; i++) {
        s.execute("INSERT INTO orders VALUES (" + i + ", 'dr')");
      }
    }
    Files.writeString(
        root.resolve("dr-etc/app.conf"), "database_port = " + drPort + "\nversion = 2\n");
    primaryStorage = S3ProxyProcess.start(s3Jar, primaryStoragePort, primaryStorageData);

    Cli.Result failback = lifeboat("failback", "shop", "--from", "dr", "--timeout", "PT5M");
    System.out.println("FailoverIT: failback:\n" + failback.out());
    assertThat(failback.exit()).as(failback.out() + failback.err()).isZero();
    assertThat(failback.out()).contains("environment primary is now active");
    assertThat(orders(pg.port)).isEqualTo(25);
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM orders WHERE placed_in = 'dr'")) {
      rs.next();
      assertThat(rs.getLong(1)).as("orders placed while DR was active").isEqualTo(5);
    }
    assertThat(Files.readString(root.resolve("primary-etc/app.conf"))).contains("version = 2");
    try (var left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("the diverged primary data is kept aside until dropped")
          .anyMatch(n -> n.startsWith("primary-etc.") || n.contains("lifeboat-aside"));
    }
  }

  private static long orders(int port) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String planYaml() {
    Path a = root.resolve("primary");
    Path b = root.resolve("dr");
    return String.join(
        "\n",
        "name: shop",
        "from: shop",
        "rto: 10m",
        "components:",
        "  - name: pgbase",
        "    target: " + a.resolve("data") + "?port=" + pg.port,
        "  - name: config",
        "    target: " + root.resolve("primary-etc"),
        "environments:",
        "  primary:",
        "    targets:",
        "      pgbase: " + a.resolve("data") + "?port=" + pg.port,
        "      config: " + root.resolve("primary-etc"),
        "    sources:",
        "      pgbase: pgbase://postgres@127.0.0.1:" + pg.port + "/?walSource=" + SOURCE,
        "      config: config:" + root.resolve("primary-etc"),
        "  dr:",
        "    targets:",
        "      pgbase: " + b.resolve("data") + "?port=" + drPort,
        "      config: " + root.resolve("dr-etc"),
        "    sources:",
        "      pgbase: pgbase://postgres@127.0.0.1:" + drPort + "/?walSource=" + SOURCE + "-dr",
        "      config: config:" + root.resolve("dr-etc"),
        "checks:",
        "  - name: orders-served",
        "    sql: select case when count(*) >= 20 then 'ok' else 'missing' end from orders",
        "    component: pgbase",
        "    expect: ok",
        "");
  }
}
