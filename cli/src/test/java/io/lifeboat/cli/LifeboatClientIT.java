package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.client.BackupRequest;
import io.lifeboat.client.BackupResult;
import io.lifeboat.client.BackupSchedule;
import io.lifeboat.client.LifeboatClient;
import io.lifeboat.client.RestoreOptions;
import io.lifeboat.client.RestoreResult;
import io.lifeboat.client.TestResult;
import io.lifeboat.client.ValidationResult;
import io.lifeboat.client.VerificationResult;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogQuery;
import io.lifeboat.model.LifeboatClientException;
import io.lifeboat.model.RecoveryPlanSpec;
import io.lifeboat.model.RecoveryPlanView;
import io.lifeboat.model.RecoveryView;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The Java client as a service would use it, every method against a running {@code lifeboat up}:
 * backups made, awaited, listed, verified (and a damaged one found), restored into a folder and
 * rolled back; a plan through its life (draft, validated, ready, deprecated and refused unless
 * forced, changed back to draft); schedules, cancellation and metrics; the async twins too.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifeboatClientIT {

  static final String RUN = "lbcli_" + UUID.randomUUID().toString().substring(0, 8);
  static final Duration WAIT = Duration.ofMinutes(3);
  static RunningLifeboat up;
  static LifeboatClient client;
  static Path source;
  static String firstBackup;

  @BeforeAll
  static void start() throws Exception {
    up = RunningLifeboat.start(RUN, Map.of("lifeboat.recovery.executor.command-checks", "true"));
    client =
        LifeboatClient.builder()
            .kafka(TestBroker.bootstrapServers())
            .api(up.api)
            .token(up.token())
            .masterKey(MasterKey.fromFile(up.keyFile))
            .build();
    source = Files.createTempDirectory("lifeboat-client-src");
    Random random = new Random(11);
    for (int i = 0; i < 8; i++) {
      byte[] data = new byte[30_000 + i * 5_000];
      random.nextBytes(data);
      Files.write(source.resolve("part-" + i + ".bin"), data);
    }
    Files.writeString(source.resolve("app.yaml"), "port: 8443\n");
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (up != null) {
      up.close();
    }
  }

  @Test
  @Order(1)
  void backups_areMade_listed_verified_restored_andRolledBack() throws Exception {
    long sourceBytes = size(source);
    BackupResult b =
        client.createBackup(
            BackupRequest.named("client-" + RUN)
                .component("files", "files:" + source)
                .label("team", "platform")
                .build(),
            WAIT);
    assertThat(b.succeeded()).as(b.reason()).isTrue();
    assertThat(b.components())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.name()).isEqualTo("files");
              assertThat(c.kind()).isEqualTo("files");
              assertThat(c.sizeBytes()).isPositive();
            });
    assertThat(b.locations()).isNotEmpty();
    assertThat(b.manifestChecksum()).matches("[0-9a-f]{64}");
    assertThat(b.metadata()).containsEntry("team", "platform");
    assertThat(b.sizeBytes()).isGreaterThanOrEqualTo(sourceBytes);
    firstBackup = b.backupId();

    // requested now, awaited later; and the async twin
    String second =
        client.requestBackup(
            BackupRequest.named("client-" + RUN)
                .type("incremental")
                .component("files", "files:" + source)
                .build());
    assertThat(client.awaitBackup(second, WAIT).status()).isEqualTo("SUCCESS");
    BackupResult third =
        client
            .createBackupAsync(
                BackupRequest.named("client-" + RUN).component("files", "files:" + source).build(),
                WAIT)
            .get(4, TimeUnit.MINUTES);
    assertThat(third.status()).isEqualTo("SUCCESS");

    // a rejected request is a result, not an exception
    BackupResult rejected =
        client.createBackup(
            BackupRequest.named("client-" + RUN).component("files", "nosuchkind:/x").build(), WAIT);
    assertThat(rejected.status()).isEqualTo("REJECTED");
    assertThat(rejected.reason()).contains("nosuchkind");

    Eventually.until(
        "the catalog to show the three backups of client-" + RUN,
        () ->
            client.listBackups(CatalogQuery.all().withName("client-" + RUN)).stream()
                    .filter(v -> "SUCCESS".equals(v.status()))
                    .count()
                == 3);
    BackupView shown = client.getBackup(firstBackup).orElseThrow();
    assertThat(shown.manifestChecksum()).isEqualTo(b.manifestChecksum());
    assertThat(shown.lastVerification()).isNull();

    VerificationResult v = client.verifyBackup(firstBackup, WAIT);
    assertThat(v.ok()).as(String.join("; ", v.problems())).isTrue();
    assertThat(v.chunksChecked()).isPositive();
    assertThat(v.bytesChecked()).isEqualTo(b.sizeBytes());
    assertThat(client.getBackup(firstBackup).orElseThrow().lastVerification())
        .satisfies(
            last -> {
              assertThat(last.verificationId()).isEqualTo(v.verificationId());
              assertThat(last.ok()).isTrue();
            });
    assertThat(client.verifyBackupAsync(second, WAIT).get(4, TimeUnit.MINUTES).ok()).isTrue();
    assertThatThrownBy(() -> client.verifyBackup("b-no-such-" + RUN, WAIT))
        .isInstanceOf(LifeboatClientException.class)
        .hasMessageContaining("404")
        .hasMessageContaining("no backup");

    // one component: --to is enough
    Path target = Files.createTempDirectory("lifeboat-client-restore").resolve("app");
    RestoreResult r = client.restoreBackup(firstBackup, RestoreOptions.to(target.toString()), WAIT);
    assertThat(r.succeeded()).as(r.reason()).isTrue();
    assertThat(r.bytesRestored()).isEqualTo(b.sizeBytes());
    assertThat(r.rtoMs()).isPositive();
    assertSameTree(source, target);
    assertThat(client.getRecovery(r.executionId()).orElseThrow().planName())
        .isEqualTo("restore-" + firstBackup);

    // a restore is a recovery: it can be undone (the folder did not exist before)
    RecoveryView undone = client.rollbackRecovery(r.executionId(), WAIT);
    assertThat(undone.status()).isEqualTo("ROLLED_BACK");
    assertThat(undone.rolledBack()).isTrue();
    assertThat(target).doesNotExist();

    // a recovery test of the same restore, through the async twin: scratch, torn down
    Path untouched = Files.createTempDirectory("lifeboat-client-scratch").resolve("app");
    RestoreResult tested =
        client
            .restoreBackupAsync(
                second,
                RestoreOptions.targets(Map.of("files", untouched.toString())).mode("TEST"),
                WAIT)
            .get(4, TimeUnit.MINUTES);
    assertThat(tested.succeeded()).as(tested.reason()).isTrue();
    assertThat(untouched).doesNotExist();

    // a plan attached to a request by anyone but the coordinator's API is not run: Kafka is a
    // trust boundary, and whoever may send requests (the scheduler, the command line) may run
    // stored plans only, never restore into a target of its own choosing
    String forged = "r-forged" + RUN.substring(6);
    Path forgedTarget = Files.createTempDirectory("lifeboat-forged").resolve("app");
    RecoveryPlanSpec sneaky =
        new RecoveryPlanSpec(
            "restore-" + firstBackup,
            null,
            null,
            firstBackup,
            null,
            null,
            null,
            null,
            List.of(new RecoveryPlanSpec.ComponentTarget("files", forgedTarget.toString())),
            List.of());
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<
            String, io.lifeboat.events.RecoveryRequested>(
            Map.of("bootstrap.servers", TestBroker.bootstrapServers()),
            new org.apache.kafka.common.serialization.StringSerializer(),
            io.lifeboat.events.EventSerde.of(io.lifeboat.events.Topics.RECOVERY_REQUESTS)
                .serializer())) {
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  io.lifeboat.events.Topics.RECOVERY_REQUESTS.name(),
                  forged,
                  io.lifeboat.events.RecoveryRequested.newBuilder()
                      .setEnvelope(io.lifeboat.events.Envelopes.next(forged))
                      .setExecutionId(forged)
                      .setPlanName(sneaky.name())
                      .setPlan(sneaky.toJson())
                      .setPlanSignature(java.nio.ByteBuffer.wrap(new byte[32]))
                      .setMode(io.lifeboat.events.RecoveryMode.EXECUTE)
                      .build()))
          .get(30, TimeUnit.SECONDS);
    }
    RecoveryView refusedForgery = client.awaitRecovery(forged, WAIT);
    assertThat(refusedForgery.status()).isEqualTo("INVALID");
    assertThat(refusedForgery.reason()).contains("not signed with the recovery command key");
    assertThat(forgedTarget).doesNotExist();

    // deleted over the API: the catalog shows it, and it can no longer be verified or restored
    client.deleteBackup(third.backupId(), "superseded", WAIT);
    assertThat(client.getBackup(third.backupId()).orElseThrow().reason()).contains("superseded");
    assertThat(up.repoDir.resolve("manifests")).isDirectory();
    try (Stream<Path> manifests = Files.walk(up.repoDir.resolve("manifests"))) {
      assertThat(manifests.map(Path::toString)).noneMatch(p -> p.contains(third.backupId()));
    }
    assertThatThrownBy(() -> client.verifyBackup(third.backupId(), WAIT))
        .isInstanceOf(LifeboatClientException.class)
        .hasMessageContaining("409")
        .hasMessageContaining("DELETED");

    assertThatThrownBy(
            () ->
                client.restoreBackup(
                    firstBackup, RestoreOptions.to(target.toString()).mode("SIDEWAYS"), WAIT))
        .isInstanceOf(LifeboatClientException.class)
        .hasMessageContaining("400")
        .hasMessageContaining("EXECUTE, TEST or VALIDATE");
  }

  @Test
  @Order(2)
  void aPlan_goesFromDraftToReady_isDeprecated_andGoesBackToDraftWhenChanged() throws Exception {
    String name = "client-plan-" + RUN;
    Path target = Files.createTempDirectory("lifeboat-client-plan").resolve("app");
    RecoveryPlanSpec plan =
        RecoveryPlanSpec.parse(
            """
            name: %s
            description: the app's files
            rto: 10m
            from: client-%s
            components:
              - name: files
                target: %s
            checks:
              - name: config-present
                command: test -s "$LIFEBOAT_TARGET_FILES/app.yaml"
            """
                .formatted(name, RUN, target));
    RecoveryPlanView created = client.createRecoveryPlan(plan, WAIT);
    assertThat(created.status()).isEqualTo("draft");
    assertThat(created.description()).isEqualTo("the app's files");

    ValidationResult valid = client.validateRecoveryPlan(name, WAIT);
    assertThat(valid.valid()).as(valid.reason() + " " + valid.problems()).isTrue();
    assertThat(status(name)).isEqualTo("validated");

    TestResult test = client.testRecoveryPlan(name, WAIT);
    assertThat(test.passed()).as(test.reason()).isTrue();
    assertThat(test.rtoMs()).isPositive();
    assertThat(test.rtoMet()).isTrue();
    assertThat(test.checks())
        .singleElement()
        .satisfies(c -> assertThat(c.status()).isEqualTo("SUCCEEDED"));
    RecoveryPlanView ready = client.getRecoveryPlan(name).orElseThrow();
    assertThat(ready.status()).isEqualTo("ready");
    assertThat(ready.lastTestRtoMs()).isEqualTo(test.rtoMs());
    assertThat(ready.testedAt()).isNotNull();
    assertThat(client.listRecoveryPlans()).extracting(RecoveryPlanView::name).contains(name);

    // retired: refused unless forced
    assertThat(client.deprecateRecoveryPlan(name).status()).isEqualTo("deprecated");
    Eventually.until(
        "the coordinator to see the plan deprecated", () -> "deprecated".equals(status(name)));
    RecoveryView refused = client.executeRecovery(name, null, null, false, WAIT);
    assertThat(refused.status()).isEqualTo("INVALID");
    assertThat(refused.reason()).contains("deprecated").contains("--force");
    assertThat(target).doesNotExist();
    RecoveryView forced =
        client.executeRecoveryAsync(name, null, null, true, WAIT).get(4, TimeUnit.MINUTES);
    assertThat(forced.status()).as(forced.reason()).isEqualTo("SUCCEEDED");
    assertSameTree(source, target);
    RecoveryView back =
        client.rollbackRecoveryAsync(forced.executionId(), WAIT).get(4, TimeUnit.MINUTES);
    assertThat(back.status()).isEqualTo("ROLLED_BACK");
    assertThat(target).doesNotExist();

    // back in use as it was: its test still counts
    assertThat(client.activateRecoveryPlan(name).status()).isEqualTo("ready");
    Eventually.until("the coordinator to see the plan in use", () -> "ready".equals(status(name)));

    // a change sends it back to draft
    RecoveryPlanSpec changed =
        RecoveryPlanSpec.parse(plan.toJson().replace("the app's files", "the app's files, v2"));
    assertThat(client.createRecoveryPlan(changed, WAIT).status()).isEqualTo("draft");
    assertThat(client.validateRecoveryPlanAsync(name, WAIT).get(4, TimeUnit.MINUTES).valid())
        .isTrue();
    assertThat(client.testRecoveryPlanAsync(name, WAIT).get(4, TimeUnit.MINUTES).passed()).isTrue();
    assertThat(status(name)).isEqualTo("ready");

    Eventually.until(
        "the catalog to list the plan's six executions",
        () -> client.listRecoveries(name, null, null, 100).size() == 6);
    assertThat(client.listRecoveries(name, "TEST", "SUCCEEDED", 100)).hasSize(2);
    assertThat(client.getRecovery(test.executionId()).orElseThrow().rtoMs())
        .isEqualTo(test.rtoMs());
    assertThat(client.awaitRecovery(test.executionId(), WAIT).status()).isEqualTo("SUCCEEDED");

    // the same from the command line
    Cli.Result list = Cli.run(up.cli("plan", "list"));
    assertThat(list.out())
        .containsPattern(
            java.util.regex.Pattern.quote(name) + "\\s+ready\\s+.*\\d (ms|s)\\s+files");
    assertThat(Cli.run(up.cli("plan", "deprecate", name)).exit()).isZero();
    Eventually.until("the plan to be deprecated", () -> "deprecated".equals(status(name)));
    assertThat(Cli.run(up.cli("plan", "list")).out())
        .containsPattern(java.util.regex.Pattern.quote(name) + "\\s+deprecated");
    Cli.Result refusedCli = Cli.run(up.cli("plan", "validate", name));
    assertThat(refusedCli.exit()).isNotZero();
    assertThat(refusedCli.out() + refusedCli.err()).contains("deprecated");
    Cli.Result forcedCli = Cli.run(up.cli("plan", "validate", name, "--force"));
    assertThat(forcedCli.exit()).as(forcedCli.out() + forcedCli.err()).isZero();
    assertThat(Cli.run(up.cli("plan", "deprecate", name, "--undo")).exit()).isZero();
    Eventually.until("the plan to be back in use", () -> "ready".equals(status(name)));

    client.deleteRecoveryPlan(name);
    Eventually.until("the plan to be gone", () -> client.getRecoveryPlan(name).isEmpty());
  }

  @Test
  @Order(3)
  void schedules_cancellation_andMetrics() throws Exception {
    String schedule = "client-sched-" + RUN.toLowerCase(java.util.Locale.ROOT);
    client.scheduleBackup(
        new BackupSchedule(
            schedule,
            "0 3 * * *",
            "UTC",
            BackupRequest.named("sched-" + RUN).component("files", "files:" + source).build(),
            null,
            Duration.ofHours(26),
            true));
    assertThat(client.listSchedules()).containsKey(schedule);
    client.deleteSchedule(schedule);
    assertThat(client.listSchedules()).doesNotContainKey(schedule);

    Path big = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-client-big");
    for (int i = 0; i < 12; i++) {
      byte[] data = new byte[25_000_000];
      new Random(900 + i).nextBytes(data);
      Files.write(big.resolve("part" + i + ".bin"), data); // 300 MB, incompressible
    }
    BackupRequest request =
        BackupRequest.named("cancel-" + RUN)
            .component("small", "files:" + source)
            .component("big", "files:" + big)
            .build();
    CompletableFuture<BackupResult> running = client.createBackupAsync(request, WAIT);
    Eventually.until(
        "the backup to be running",
        () ->
            client
                .getBackup(request.backupId())
                .map(x -> "RUNNING".equals(x.status()))
                .orElse(false));
    client.cancelBackup(request.backupId(), "test " + RUN);
    BackupResult cancelled = running.get(4, TimeUnit.MINUTES);
    assertThat(cancelled.status()).isEqualTo("CANCELLED");
    try (Stream<Path> files = Files.list(big)) {
      files.forEach(p -> p.toFile().delete());
    }

    Eventually.until(
        "the metrics to count this run's backups",
        () ->
            client.getBackupMetrics().names().stream()
                .anyMatch(
                    n ->
                        n.name().equals("client-" + RUN)
                            // three made, one deleted since (no longer counted), one rejected
                            && n.backups() == 3
                            && n.failed() == 1));
    assertThat(client.getRestoreMetrics().succeeded()).isPositive();
    assertThat(client.getRecoveryMetrics().plans())
        .anyMatch(p -> p.plan().equals("client-plan-" + RUN) && p.lastRtoMs() > 0);
  }

  @Test
  @Order(4)
  void theOpenApiDescription_coversEveryApiEndpoint_withTheMethodsItAnswers() throws Exception {
    HttpResponse<String> docs =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(up.api + "/v3/api-docs")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(docs.statusCode()).isEqualTo(200);
    tools.jackson.databind.JsonNode api =
        tools.jackson.databind.json.JsonMapper.builder().build().readTree(docs.body());
    assertThat(api.get("openapi").asString()).startsWith("3.");
    tools.jackson.databind.JsonNode paths = api.get("paths");

    // every endpoint the controllers map, read from the running application itself
    var mappings =
        up.lifeboat
            .context()
            .getBean(
                "requestMappingHandlerMapping",
                org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping
                    .class)
            .getHandlerMethods();
    int checked = 0;
    for (var e : mappings.entrySet()) {
      if (!e.getValue().getBeanType().getName().startsWith("io.lifeboat.")) {
        continue;
      }
      for (String path : e.getKey().getPatternValues()) {
        if (!path.startsWith("/api/")) {
          continue;
        }
        assertThat(paths.has(path)).as("OpenAPI describes " + path).isTrue();
        for (var method : e.getKey().getMethodsCondition().getMethods()) {
          String m = method.name().toLowerCase(java.util.Locale.ROOT);
          assertThat(paths.get(path).has(m)).as("OpenAPI describes " + m + " " + path).isTrue();
          tools.jackson.databind.JsonNode op = paths.get(path).get(m);
          if (!"get".equals(m)) {
            assertThat(op.toString()).as(m + " " + path + " needs the token").contains("apiToken");
          }
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(paths.get("/api/backups/{id}/restore").get("post").get("requestBody").toString())
        .contains("RestoreBody");
    assertThat(api.at("/components/schemas/RestoreBody/properties").has("targets")).isTrue();
    assertThat(api.at("/components/securitySchemes/apiToken/scheme").asString())
        .isEqualTo("bearer");
  }

  @Test
  @Order(5)
  void theReadmesHttpExample_runsAsWritten() throws Exception {
    String readme =
        Files.readString(Path.of("..").toAbsolutePath().normalize().resolve("README.md"));
    int marker = readme.indexOf("<!-- api-example: run by LifeboatClientIT -->");
    assertThat(marker).isPositive();
    int start = readme.indexOf("```sh\n", marker) + "```sh\n".length();
    String script = readme.substring(start, readme.indexOf("```", start));
    Path restored = Files.createTempDirectory("lifeboat-readme").resolve("restored");
    script =
        script
            .replace("/srv/app-restored", restored.toString())
            .replace("/srv/app", source.toString());
    ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script);
    pb.environment().put("LIFEBOAT_API", up.api);
    pb.environment().put("LIFEBOAT_HOME", up.home.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("\"verificationId\"").contains("\"status\":\"SUCCEEDED\"");
    assertSameTree(source, restored);
  }

  /**
   * Issue 29 in single mode, where the one token may do everything the API offers: still no restore
   * into the home or its key, and no password file sent to a server of the caller's choosing (roles
   * mode: RestoreGuardIT).
   */
  @Test
  @Order(6)
  void restores_areHeldToTheExecutorsTargetPolicy_inSingleModeToo() throws Exception {
    String db = RUN + "_guard";
    DbTools.execute(DbTools.pg("postgres"), List.of("CREATE DATABASE " + db));
    try (RestoreGuardIT.FakeServer fake = new RestoreGuardIT.FakeServer()) {
      DbTools.execute(
          DbTools.pg(db), List.of("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)"));
      BackupResult pg =
          client.createBackup(
              BackupRequest.named("guard-" + RUN)
                  .component("db", "postgres://postgres@" + DbTools.PG + "/" + db)
                  .build(),
              WAIT);
      assertThat(pg.succeeded()).as(pg.reason()).isTrue();
      byte[] keyBefore = Files.readAllBytes(up.keyFile);
      List<String> listingBefore;
      try (Stream<Path> s = Files.list(up.home)) {
        listingBefore = s.map(Path::toString).sorted().toList();
      }
      Map<String, String> attempts = new java.util.LinkedHashMap<>();
      attempts.put(singleRestore(firstBackup, up.home.toString(), "merge"), "lies inside");
      attempts.put(
          singleRestore(firstBackup, up.home + "/x/../scratch/../key", "replace"), "lies inside");
      attempts.put(
          singleRestore(
              pg.backupId(),
              "postgres://postgres@localhost:" + fake.port() + "/x?passwordFile=" + up.keyFile,
              "replace"),
          "password files are read only from");
      for (Map.Entry<String, String> a : attempts.entrySet()) {
        RecoveryView x =
            Eventually.await(
                "execution " + a.getKey() + " to end",
                WAIT,
                () -> client.getRecovery(a.getKey()).orElse(null),
                v -> v != null && v.status().equals("INVALID"));
        assertThat(x.problems()).anyMatch(p -> p.contains(a.getValue()));
      }
      assertThat(fake.connections()).isZero();
      assertThat(Files.readAllBytes(up.keyFile)).isEqualTo(keyBefore);

      // a relative target is refused by the API itself
      HttpResponse<String> relative =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(up.api + "/api/backups/" + firstBackup + "/restore"))
                      .header("Authorization", "Bearer " + up.token())
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              RestoreGuardIT.to("restored", "merge")))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(relative.statusCode()).isEqualTo(400);
      assertThat(relative.body()).contains("relative path");

      // a merge keeps the mode of the folder it writes into
      Path keep = Files.createTempDirectory("lifeboat-keep");
      Files.setPosixFilePermissions(
          keep, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      RecoveryView merged =
          client.awaitRecovery(singleRestore(firstBackup, keep.toString(), "merge"), WAIT);
      assertThat(merged.status()).as(merged.reason()).isEqualTo("SUCCEEDED");
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(keep)))
          .isEqualTo("rwx------");

      // a SQL check runs as the read-only check role, even for the one token that may do all
      DbTools.execute(DbTools.pg("postgres"), io.lifeboat.testkit.SqlFixtures.postgresCheckRole());
      client.createRecoveryPlan(
          RecoveryPlanSpec.parse(
              """
              {"name": "guard-%s",
               "components": [{"name": "db", "target": "postgres://postgres@%s/%s_copy"}],
               "checks": [{"name": "file", "component": "db",
                           "sql": "select pg_read_file('/etc/passwd')", "expect": "x"}]}
              """
                  .formatted(RUN, DbTools.PG, db)),
          WAIT);
      TestResult checked = client.testRecoveryPlan("guard-" + RUN, WAIT);
      assertThat(checked.passed()).isFalse();
      assertThat(checked.checks().toString())
          .contains("lifeboat_check")
          .contains("permission denied")
          .doesNotContain("root:x:0");
      try (Stream<Path> s = Files.list(up.home)) {
        assertThat(s.map(Path::toString).sorted().toList()).isEqualTo(listingBefore);
      }
    } finally {
      DbTools.execute(
          DbTools.pg("postgres"), List.of("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)"));
    }
  }

  private static String singleRestore(String backupId, String to, String ifExists)
      throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(up.api + "/api/backups/" + backupId + "/restore"))
                    .header("Authorization", "Bearer " + up.token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(RestoreGuardIT.to(to, ifExists)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return ApiSession.JSON.readTree(r.body()).path("executionId").asString();
  }

  @Test
  @Order(7)
  void aDamagedBackup_failsVerification_andIsAlerted() throws Exception {
    Path chunks = up.repoDir.resolve("chunks");
    try (Stream<Path> all = Files.walk(chunks)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(p);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(p, bytes);
      }
    }
    VerificationResult v = client.verifyBackup(firstBackup, WAIT);
    assertThat(v.ok()).isFalse();
    assertThat(v.problems()).isNotEmpty().anyMatch(p -> p.contains("chunk"));
    assertThat(client.getBackup(firstBackup).orElseThrow().lastVerification().ok()).isFalse();
    HttpClient http = HttpClient.newHttpClient();
    Eventually.until(
        "a backup.corrupted alert about " + firstBackup,
        () -> {
          String alerts =
              http.send(
                      HttpRequest.newBuilder(URI.create(up.api + "/api/alerts")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body();
          return alerts.contains("backup.corrupted") && alerts.contains(firstBackup);
        });
  }

  private static String status(String plan) {
    return client.getRecoveryPlan(plan).map(RecoveryPlanView::status).orElse("none");
  }

  private static long size(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void assertSameTree(Path expected, Path actual) throws Exception {
    try (Stream<Path> all = Files.walk(expected)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        Path twin = actual.resolve(expected.relativize(p).toString());
        assertThat(twin).exists();
        assertThat(Files.readAllBytes(twin)).isEqualTo(Files.readAllBytes(p));
      }
    }
    List<Path> restored;
    try (Stream<Path> all = Files.walk(actual)) {
      restored = all.filter(Files::isRegularFile).toList();
    }
    assertThat(restored).hasSize((int) Files.list(expected).count());
  }
}
