package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.catalog.CatalogApplication;
import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.client.BackupManager;
import io.lifeboat.client.BackupOutcome;
import io.lifeboat.client.BackupRequest;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.Restorer;
import io.lifeboat.core.storage.local.LocalBackend;
import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.recovery.CoordinatorApplication;
import io.lifeboat.stage.common.metrics.MetricsHttpServer;
import io.lifeboat.stage.dump.DumpStageApplication;
import io.lifeboat.stage.seal.SealStageApplication;
import io.lifeboat.stage.storage.RepositoryAccess;
import io.lifeboat.stage.storage.StorageAccess;
import io.lifeboat.stage.upload.UploadStageApplication;
import io.lifeboat.stage.verify.VerifyStageApplication;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.TestBroker;
import io.lifeboat.testkit.TreeFixture;
import io.lifeboat.testkit.TreeSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Each stage as its own Spring Boot application (its own context and consumer group, as it would
 * run as its own service), wired together only through Kafka topics and the repository.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class SeparateStagesIT {

  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static Path home;
  static Path repoDir;
  static Path keyFile;
  static String api;
  static ConfigurableApplicationContext upload;
  static ConfigurableApplicationContext catalog;
  static ConfigurableApplicationContext coordinator;

  @BeforeAll
  static void start() throws Exception {
    home = Files.createTempDirectory("lifeboat-services");
    repoDir = home.resolve("repository");
    keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    Repository.init(
        new LocalBackend(repoDir, true),
        key,
        new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, 11L));
    AllInOne.ensureCommandKey(
        home); // the recovery executor in the dump stage checks step commands with it
    String[] args = {
      "--lifeboat.home=" + home,
      "--lifeboat.kafka.bootstrap-servers=" + TestBroker.bootstrapServers(),
      "--lifeboat.repository.location=" + repoDir,
      "--lifeboat.repository.key-file=" + keyFile,
      "--lifeboat.catalog.application-id=lifeboat-catalog-separate",
      "--server.port=0",
      "--lifeboat.metrics.port=0",
      "--spring.main.banner-mode=off"
    };
    for (Class<?> app :
        List.of(
            DumpStageApplication.class, SealStageApplication.class, VerifyStageApplication.class)) {
      services.add(new SpringApplicationBuilder(app).web(WebApplicationType.NONE).run(args));
    }
    upload =
        new SpringApplicationBuilder(UploadStageApplication.class)
            .web(WebApplicationType.NONE)
            .run(args);
    services.add(upload);
    // the catalog and the coordinator get Kafka and a home of their own, with no key and no
    // repository: they must not need them
    // the coordinator's own credential is its command-signing key (not the master key)
    Path noKeyHome = Files.createTempDirectory("lifeboat-no-key");
    AllInOne.ensureCommandKey(noKeyHome);
    String[] noData = {
      "--lifeboat.home=" + noKeyHome,
      "--lifeboat.kafka.bootstrap-servers=" + TestBroker.bootstrapServers(),
      "--lifeboat.catalog.application-id=lifeboat-catalog-separate",
      "--lifeboat.recovery.coordinator.application-id=lifeboat-coordinator-separate",
      "--server.port=0",
      "--spring.main.banner-mode=off"
    };
    catalog = new SpringApplicationBuilder(CatalogApplication.class).run(noData);
    services.add(catalog);
    api = "http://127.0.0.1:" + catalog.getEnvironment().getProperty("local.server.port");
    coordinator = new SpringApplicationBuilder(CoordinatorApplication.class).run(noData);
    services.add(coordinator);
  }

  /**
   * The status line of a raw HTTP/1.1 request (java.net.http will not send a foreign Host header).
   */
  static String rawStatus(String api, String method, String path, String host, int bodyBytes)
      throws Exception {
    URI u = URI.create(api);
    try (java.net.Socket s = new java.net.Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(30_000);
      var out = s.getOutputStream();
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nConnection: close\r\n"
                  + (bodyBytes > 0
                      ? "Content-Type: application/json\r\nContent-Length: " + bodyBytes + "\r\n"
                      : "")
                  + "\r\n")
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      if (bodyBytes > 0) {
        try {
          out.write(new byte[bodyBytes]);
        } catch (java.io.IOException closedEarly) {
          // the server may answer and close before the whole body is sent
        }
      }
      out.flush();
      return new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  @Test
  void theApis_answerOnlyToTheirOwnHostNames_andRefuseHugeBodies() throws Exception {
    String coordinatorApi =
        "http://127.0.0.1:" + coordinator.getEnvironment().getProperty("local.server.port");
    Eventually.await(
        "the catalog to answer 200 to its own host name",
        () -> rawStatus(api, "GET", "/api/backups", "127.0.0.1", 0),
        status -> status.contains(" 200"));
    assertThat(rawStatus(api, "GET", "/api/backups", "localhost:8080", 0)).contains(" 200");
    // a DNS name rebound to 127.0.0.1 by a web page the user opened
    assertThat(rawStatus(api, "GET", "/api/backups", "attacker.example", 0)).contains(" 421");
    assertThat(rawStatus(coordinatorApi, "GET", "/api/plans", "attacker.example:80", 0))
        .contains(" 421");
    assertThat(rawStatus(coordinatorApi, "POST", "/api/plans", "127.0.0.1", 5 * 1024 * 1024))
        .contains(" 413");
  }

  @Test
  void servicesHoldOnlyWhatTheirJobNeeds_theCatalogAndCoordinatorServeWithoutKeyOrStorage()
      throws Exception {
    for (ConfigurableApplicationContext c : List.of(catalog, coordinator)) {
      assertThat(c.getBeanNamesForType(RepositoryAccess.class)).isEmpty();
      assertThat(c.getBeanNamesForType(StorageAccess.class)).isEmpty();
      assertThat(c.getEnvironment().getProperty("lifeboat.repository.location")).isNull();
      assertThat(Path.of(c.getEnvironment().getProperty("lifeboat.home"), "key")).doesNotExist();
    }
    assertThat(upload.getBeanNamesForType(StorageAccess.class)).hasSize(1);
    assertThat(upload.getBeanNamesForType(RepositoryAccess.class))
        .as("the upload stage holds no key")
        .isEmpty();
    HttpClient http = HttpClient.newHttpClient();
    String coordinatorApi =
        "http://127.0.0.1:" + coordinator.getEnvironment().getProperty("local.server.port");
    Eventually.await(
        "the coordinator's plan API to answer",
        () ->
            http.send(
                    HttpRequest.newBuilder(URI.create(coordinatorApi + "/api/plans")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode(),
        code -> code == 200);
    Eventually.await(
        "the catalog's API to answer",
        () ->
            http.send(
                    HttpRequest.newBuilder(URI.create(api + "/api/backups")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode(),
        code -> code == 200);
  }

  @AfterAll
  static void stop() {
    services.forEach(ConfigurableApplicationContext::close);
  }

  @Test
  void backup_flowsThroughFourServices_andRestores() throws Exception {
    Path source =
        TreeFixture.createTrickyTree(
            Files.createTempDirectory("lifeboat-sources").resolve("source"),
            1024 * 1024); // outside the home: the dump stage never reads Lifeboat's home
    BackupOutcome outcome;
    try (BackupManager manager = new BackupManager(TestBroker.bootstrapServers())) {
      outcome =
          manager.requestAndWait(
              BackupRequest.named("services").component("files:" + source).build(),
              Duration.ofMinutes(2),
              c -> {});
    }
    assertThat(outcome.succeeded()).as(outcome.summary()).isTrue();

    BackupView entry =
        Eventually.await(
            "the catalog service to show " + outcome.backupId() + " as SUCCESS",
            () -> new CatalogClient(api).get(outcome.backupId()).orElse(null),
            e -> e != null && "SUCCESS".equals(e.status()));
    assertThat(entry.status()).isEqualTo("SUCCESS");

    Repository repo =
        Repository.open(new LocalBackend(repoDir, false), MasterKey.fromFile(keyFile));
    Path target = home.resolve("restored");
    try (Restorer r = new Restorer(repo, ProviderRegistry.standard(), 2)) {
      r.restore(
          repo.readManifest(outcome.backupId()),
          Map.of("files", new RestoreTarget(target.toString())));
    }
    assertThat(TreeSnapshot.of(source).diff(TreeSnapshot.of(target))).isEmpty();

    // each stage service serves its own Prometheus series, without a web server of its own
    String uploadSeries = scrape(upload);
    assertThat(uploadSeries)
        .contains("lifeboat_storage_written_bytes_total{")
        .contains("stage=\"lifeboat-stage-upload\"");
    for (ConfigurableApplicationContext stage : services) {
      if (stage.getBeanNamesForType(MetricsHttpServer.class).length > 0) {
        assertThat(scrape(stage)).contains("kafka_consumer_fetch_manager_records_consumed_total{");
      }
    }
  }

  /** A stage service's {@code /actuator/prometheus}, from its own metrics port. */
  static String scrape(ConfigurableApplicationContext stage) throws Exception {
    int port = stage.getBean(MetricsHttpServer.class).port();
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
