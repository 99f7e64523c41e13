package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendRegistry;
import io.lifeboat.core.storage.decorate.RetryingBackend;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import io.lifeboat.testkit.S3ProxyProcess;
import io.lifeboat.testkit.TestBroker;
import io.lifeboat.testkit.TreeFixture;
import io.lifeboat.testkit.TreeSnapshot;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two regions, each a real S3 API server (s3proxy in its own process, in-memory storage, so a
 * restart comes back empty): the whole pipeline writes to both; a replica that was down is caught
 * up automatically; with the primary down a restore reads the replica; a primary that comes back
 * empty is refilled by {@code lifeboat replicate --repair} and verifies there on its own; and a
 * missing bucket rejects a backup at once, saying so. Ordered: each test starts from the state the
 * previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class ReplicationEndToEndIT {

  static final String PRIMARY_BUCKET = "lifeboat-eu-west";
  static final String REPLICA_BUCKET = "lifeboat-us-east";
  static final JsonMapper JSON = JsonMapper.builder().build();

  static Path jar;
  static int primaryPort;
  static int replicaPort;
  static S3ProxyProcess primaryServer;
  static S3ProxyProcess replicaServer;
  static String primary;
  static String replica;
  static Path home;
  static Path keyFile;
  static Path source;
  static AllInOne lifeboat;
  static String first;
  static String second;
  static TreeSnapshot secondTree;

  @BeforeAll
  static void start() throws Exception {
    jar = S3ProxyProcess.jar();
    RequiredServers.assume(
        "s3proxy",
        jar != null && Files.isRegularFile(jar),
        "the s3proxy jar (system property lifeboat.test.s3proxy.jar, copied by the cli build) is missing");
    System.setProperty("aws.accessKeyId", S3ProxyProcess.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyProcess.CREDENTIAL);
    primaryPort = FreePorts.next();
    replicaPort = FreePorts.next();
    primaryServer = S3ProxyProcess.start(jar, primaryPort, null);
    replicaServer = S3ProxyProcess.start(jar, replicaPort, null);
    createBucket(primaryPort, PRIMARY_BUCKET);
    createBucket(replicaPort, REPLICA_BUCKET);
    // few retries, so that a stopped server is given up on in a second or two
    primary =
        "s3://"
            + PRIMARY_BUCKET
            + "/backups?region=us-east-1&endpoint=http://127.0.0.1:"
            + primaryPort
            + "&retries=2";
    replica =
        "s3://"
            + REPLICA_BUCKET
            + "/backups?region=us-east-1&endpoint=http://127.0.0.1:"
            + replicaPort
            + "&retries=2";

    home = Files.createTempDirectory("lifeboat-replication");
    keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    try (Backend p = BackendRegistry.standard().open(primary);
        Backend r = BackendRegistry.standard().open(replica)) {
      Repository.init(p, key, new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, 11L));
      assertThat(Repository.initReplica(p, r)).isTrue();
    }
    source =
        TreeFixture.createTrickyTree(
            Files.createTempDirectory("lifeboat-sources").resolve("source"),
            2 * 1024 * 1024); // outside the home: the dump stage never reads Lifeboat's home
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
                    "catalog-replication-" + System.nanoTime(),
                    "lifeboat.repository.repair-interval",
                    "2s")),
            System.out);
  }

  @AfterAll
  static void stop() {
    if (lifeboat != null) {
      lifeboat.close();
    }
    if (primaryServer != null) {
      primaryServer.close();
    }
    if (replicaServer != null) {
      replicaServer.close();
    }
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  static void createBucket(int port, String bucket) {
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + port))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(S3ProxyProcess.IDENTITY, S3ProxyProcess.CREDENTIAL)))
            .httpClientBuilder(ApacheHttpClient.builder())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build()) {
      s3.createBucket(c -> c.bucket(bucket));
    }
  }

  static Cli.Result lifeboat(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--home",
            home.toString(),
            "--key-file",
            keyFile.toString(),
            "--bootstrap",
            TestBroker.bootstrapServers(),
            "--api",
            lifeboat.apiUrl()));
    return Cli.run(all.toArray(String[]::new));
  }

  static JsonNode location(JsonNode backup, String location) {
    for (JsonNode l : backup.get("locationStatus")) {
      if (l.get("location").asString().equals(location)) {
        return l;
      }
    }
    throw new AssertionError("no status for " + location + " in " + backup);
  }

  static String display(String location) {
    return location.substring(0, location.indexOf("&retries"));
  }

  @Test
  @Order(1)
  void backup_isWrittenToBothRegions_andTheCompletionSaysSoPerLocation() {
    Cli.Result r =
        lifeboat(
            "backup",
            "files:" + source,
            "--name",
            "two-regions",
            "--wait",
            "--json",
            "--repo",
            primary);

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonNode b = JSON.readTree(r.out());
    first = b.get("backupId").asString();
    assertThat(location(b, display(primary)).get("complete").asBoolean()).isTrue();
    assertThat(location(b, display(primary)).get("primary").asBoolean()).isTrue();
    assertThat(location(b, display(replica)).get("complete").asBoolean()).isTrue();
    assertThat(location(b, display(replica)).get("missingChunks").asInt()).isZero();
  }

  @Test
  @Order(2)
  void aReplicaThatWasDown_isCaughtUpAutomatically_andTheCatalogShowsIt() throws Exception {
    replicaServer.close();
    Files.writeString(
        source.resolve("written-while-the-replica-was-down.txt"), "new data ".repeat(10_000));
    secondTree = TreeSnapshot.of(source);

    Cli.Result r =
        lifeboat(
            "backup",
            "files:" + source,
            "--name",
            "two-regions",
            "--wait",
            "--json",
            "--repo",
            primary);

    assertThat(r.exit()).as("the backup itself succeeds: " + r.out() + r.err()).isZero();
    JsonNode b = JSON.readTree(r.out());
    second = b.get("backupId").asString();
    assertThat(location(b, display(primary)).get("complete").asBoolean()).isTrue();
    JsonNode behind = location(b, display(replica));
    assertThat(behind.get("complete").asBoolean()).isFalse();
    assertThat(behind.get("error").asString()).contains("127.0.0.1:" + replicaPort);

    Cli.Result lag = lifeboat("replicate", "--repo", primary, "--replica", replica);
    assertThat(lag.exit()).as(lag.out() + lag.err()).isEqualTo(ExitCodes.PARTIAL);
    assertThat(lag.out()).contains(display(replica) + ": cannot compare");

    // the region comes back, empty; its bucket is recreated; the upload stage's repairer (every 2 s
    // here) copies the repository config, the chunks and the manifests, and the catalog folds in
    // its replica.repaired alerts
    replicaServer = S3ProxyProcess.start(jar, replicaPort, null);
    createBucket(replicaPort, REPLICA_BUCKET);
    CatalogClient catalog = new CatalogClient(lifeboat.apiUrl());
    Eventually.await(
        "the catalog to show backup " + second + " complete at the replica",
        () -> catalog.get(second),
        view ->
            view.isPresent()
                && view.get().locationStatus().stream()
                    .anyMatch(l -> l.location().equals(display(replica)) && l.complete()));
    Cli.Result now = lifeboat("replicate", "--repo", primary, "--replica", replica);
    assertThat(now.exit()).as(now.out() + now.err()).isZero();
    assertThat(now.out()).contains(display(replica) + ": up to date with the primary");
  }

  @Test
  @Order(3)
  void withThePrimaryDown_restoreReadsTheReplica_byteForByte_andSaysSo() throws Exception {
    primaryServer.close();
    Path target = Files.createTempDirectory("lifeboat-restore").resolve("restored-from-replica");

    Cli.Result r =
        lifeboat(
            "restore", second, "--to", target.toString(), "--repo", primary, "--replica", replica);

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.err())
        .contains("reading from " + display(replica) + " instead of " + display(primary));
    assertThat(TreeSnapshot.of(target).diff(secondTree)).isEmpty();
  }

  @Test
  @Order(4)
  void withThePrimaryDown_aRecoveryPlanReadsTheReplica_andSaysSo() throws Exception {
    Path target = Files.createTempDirectory("lifeboat-restore").resolve("recovered-from-replica");
    Path plan = home.resolve("plan.yaml");
    Files.writeString(
        plan,
        """
        name: two-regions
        backup: %s
        components:
          - name: files
            target: %s
        """
            .formatted(second, target));
    Cli.Result created = lifeboat("plan", "create", plan.toString());
    assertThat(created.out()).as(created.out() + created.err()).contains("saved");

    Cli.Result r = lifeboat("recover", "two-regions", "--json", "--timeout", "PT3M");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonNode x = JSON.readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(x.get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(x.get("steps").toString())
        .contains("reading from " + display(replica) + " instead of " + display(primary));
    assertThat(TreeSnapshot.of(target).diff(secondTree)).isEmpty();
  }

  @Test
  @Order(5)
  void aPrimaryBackWithoutItsBucket_rejectsABackupAtOnce_sayingTheBucketIsMissing()
      throws Exception {
    primaryServer = S3ProxyProcess.start(jar, primaryPort, null);
    // every retry of a storage operation is logged by the retrying decorator: watch for one
    ch.qos.logback.classic.Logger retries =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(RetryingBackend.class);
    ListAppender<ILoggingEvent> retried = new ListAppender<>();
    retried.start();
    retries.addAppender(retried);
    Cli.Result r;
    try {
      r =
          lifeboat(
              "backup",
              "files:" + source,
              "--name",
              "two-regions",
              "--wait",
              "--json",
              "--repo",
              primary);
    } finally {
      retries.detachAppender(retried);
    }

    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.REJECTED);
    assertThat(JSON.readTree(r.out()).get("reason").asString())
        .contains("storage is not usable")
        .contains(PRIMARY_BUCKET)
        .containsIgnoringCase("bucket")
        .doesNotContain(S3ProxyProcess.CREDENTIAL);
    assertThat(retried.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .as("a permanent fault is not retried")
        .noneMatch(m -> m.contains(PRIMARY_BUCKET));
  }

  @Test
  @Order(6)
  void aPrimaryBackEmpty_rejoinsTheRepository_isRefilledByRepair_andVerifiesOnItsOwn()
      throws Exception {
    createBucket(primaryPort, PRIMARY_BUCKET);
    // what `lifeboat up` does at start: an empty primary takes the replicas' repository config
    // instead of starting a new repository
    java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
    AllInOne.ensureRepository(
        primary,
        List.of(replica),
        MasterKey.fromFile(keyFile),
        new java.io.PrintStream(said, true));
    assertThat(said.toString()).contains("rejoined the repository held by " + display(replica));

    Cli.Result lag = lifeboat("replicate", "--repo", primary, "--replica", replica);
    assertThat(lag.exit()).as(lag.out() + lag.err()).isEqualTo(ExitCodes.PARTIAL);
    assertThat(lag.out())
        .contains("the primary " + display(primary) + " lacks")
        .contains("2 backup(s)");

    Cli.Result repair = lifeboat("replicate", "--repair", "--repo", primary, "--replica", replica);

    assertThat(repair.exit()).as(repair.out() + repair.err()).isZero();
    assertThat(repair.out()).containsPattern("repaired: [1-9][0-9]* objects");
    for (String backup : List.of(first, second)) {
      Cli.Result v = lifeboat("verify", backup, "--repo", primary);
      assertThat(v.exit())
          .as("verify " + backup + " on the primary alone: " + v.out() + v.err())
          .isZero();
    }
  }
}
