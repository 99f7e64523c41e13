package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.local.LocalBackend;
import io.lifeboat.events.Alert;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.StepAction;
import io.lifeboat.events.StepStatus;
import io.lifeboat.events.Topics;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import io.lifeboat.testkit.SqlFixtures;
import io.lifeboat.testkit.TestBroker;
import io.lifeboat.testkit.TreeSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Disaster recovery end to end, on the real broker and the real PostgreSQL: an environment of
 * PostgreSQL + configuration + secrets comes back from one plan with one command, checked and with
 * its RTO; a finished recovery is rolled back; a recovery test restores into scratch targets and
 * tears them down; validation lists every problem; a database step that fails after the
 * configuration step succeeded puts every target back as it was, with the compensations visible as
 * events.
 *
 * <p>Each test stands on its own: it shares only what {@link #start()} made (the servers, one
 * backup of the shop environment and its plan), restores into targets no other test touches, and
 * may run in any order.
 */
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class RecoveryEndToEndIT {

  static final String RUN = "lbrec_" + UUID.randomUUID().toString().substring(0, 8);
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final int ORDERS = 20_000;
  static AllInOne lifeboat;
  static Path home;
  static Path repoDir;
  static Path keyFile;
  static Path sources;
  static Path targets;
  static String api;
  static String shopBackup;

  static String pg(String db) {
    return "postgres://postgres@" + DbTools.PG + "/" + db;
  }

  @BeforeAll
  static void start() throws Exception {
    String[] hp = DbTools.PG.split(":");
    RequiredServers.assume(
        "postgres",
        FreePorts.listening(hp[0], Integer.parseInt(hp[1])),
        "nothing listens on " + DbTools.PG);
    home = Files.createTempDirectory("lifeboat-recovery");
    repoDir = home.resolve("repository");
    keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    Repository.init(
        new LocalBackend(repoDir, true),
        key,
        new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, 7L));
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
                    "catalog-" + RUN,
                    "lifeboat.recovery.executor.command-checks",
                    "true",
                    "lifeboat.recovery.coordinator.application-id",
                    "coordinator-" + RUN,
                    // any port of this host: the validation test names an unreachable one
                    "lifeboat.stage.dump.database-hosts",
                    "127.0.0.1")),
            System.out);
    api = lifeboat.apiUrl();

    DbTools.execute(
        DbTools.pg("postgres"),
        List.of(
            "CREATE DATABASE " + RUN + "_src",
            "CREATE DATABASE " + RUN + "_src2",
            "CREATE DATABASE " + RUN + "_target",
            "CREATE DATABASE " + RUN + "_rbtarget",
            "CREATE DATABASE " + RUN + "_victim"));
    DbTools.execute(DbTools.pg("postgres"), SqlFixtures.postgresCheckRole());
    DbTools.execute(DbTools.pg(RUN + "_src"), SqlFixtures.postgres(ORDERS));
    DbTools.execute(DbTools.pg(RUN + "_src2"), SqlFixtures.postgres(3_000));
    for (String db : List.of(RUN + "_target", RUN + "_rbtarget", RUN + "_victim")) {
      DbTools.execute(
          DbTools.pg(db),
          List.of("CREATE TABLE old_data (x int)", "INSERT INTO old_data VALUES (42)"));
    }

    sources =
        Files.createTempDirectory("lifeboat-sources")
            .resolve("sources"); // outside the home: the dump stage never reads Lifeboat's home
    Path config = Files.createDirectories(sources.resolve("etc/shop"));
    Files.writeString(config.resolve("app.yaml"), "server:\n  port: 8443\n");
    Files.writeString(config.resolve("flags.json"), "{\"dark\": true}");
    Path secrets = Files.createDirectories(sources.resolve("run/secrets"));
    Files.writeString(secrets.resolve("db-password"), "correct horse battery staple");
    Files.writeString(secrets.resolve("api-key"), "k-123");

    targets =
        Files.createTempDirectory("lifeboat-recovery-targets"); // beside the home: never in it
    for (String dir : List.of("config", "config-rb", "config-b")) {
      Files.createDirectories(targets.resolve(dir));
      Files.writeString(targets.resolve(dir + "/old.yaml"), "old: " + dir + "\n");
    }

    Cli.Result r =
        Cli.run(
            cli(
                "backup",
                pg(RUN + "_src"),
                "config:" + sources.resolve("etc/shop"),
                "secrets:" + sources.resolve("run/secrets"),
                "--name",
                "shop-" + RUN,
                "--wait",
                "--json"));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    shopBackup = JSON.readTree(r.out()).get("backupId").asString();
    createPlan(shopPlan("shop-" + RUN, "10m", "_target", "config", "secrets", ""));
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty("lifeboat.tools.path");
    if (lifeboat != null) {
      lifeboat.close();
    }
    try (Statement s = DbTools.pg("postgres").createStatement()) {
      List<String> dbs = new ArrayList<>();
      try (ResultSet r =
          s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '%" + RUN + "%'")) {
        while (r.next()) {
          dbs.add(r.getString(1));
        }
      }
      for (String db : dbs) {
        s.execute("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
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

  /**
   * The shop environment's plan: its backups (by definition name), restored into the database
   * {@code RUN + db} and the folders {@code configDir} and {@code secretsDir} under the targets.
   */
  static String shopPlan(
      String name, String rto, String db, String configDir, String secretsDir, String extraChecks) {
    return """
        name: %s
        environment: shop
        from: shop-%s
        rto: %s
        rpo: 1d
        components:
          - name: postgres
            target: %s
          - name: config
            target: %s
          - name: secrets
            target: %s
        checks:
          - name: orders
            sql: select count(*) from sales.orders
            component: postgres
            expect: "%d"
          - name: config-present
            command: test -s "$LIFEBOAT_TARGET_CONFIG/app.yaml"
        %s"""
        .formatted(
            name,
            RUN,
            rto,
            pg(RUN + db),
            targets.resolve(configDir),
            targets.resolve(secretsDir),
            ORDERS,
            extraChecks);
  }

  static void createPlan(String yaml) throws Exception {
    Path file = home.resolve("plan-" + UUID.randomUUID() + ".yaml");
    Files.writeString(file, yaml);
    Cli.Result r = Cli.run(cli("plan", "create", file.toString()));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("saved");
  }

  static JsonNode runJson(String... args) {
    Cli.Result r = Cli.run(cli(args));
    assertThat(r.out()).as(r.err()).isNotBlank();
    JsonNode x = JSON.readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
    int expected =
        switch (x.get("status").asString()) {
          case "SUCCEEDED", "ROLLED_BACK" -> ExitCodes.OK;
          case "INVALID" -> ExitCodes.REJECTED;
          default -> ExitCodes.FAILED;
        };
    assertThat(r.exit())
        .as("exit code for " + x.get("status") + ": " + r.err())
        .isEqualTo(expected);
    return x;
  }

  static Map<String, JsonNode> steps(JsonNode execution) {
    Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
    execution.get("steps").forEach(s -> m.put(s.get("stepId").asString(), s));
    return m;
  }

  @Test
  void aSavedPlan_showsItsStepsInDependencyOrder_withEstimateAndRpo() throws Exception {
    Cli.Result list = Cli.run(cli("plan", "list"));
    assertThat(list.out()).contains("shop-" + RUN).contains("postgres, config, secrets");
    Cli.Result show = Cli.run(cli("plan", "show", "shop-" + RUN, "--json"));
    assertThat(show.exit()).as(show.out() + show.err()).isZero();
    JsonNode plan = JSON.readTree(show.out());
    List<String> order = new ArrayList<>();
    plan.get("steps").forEach(s -> order.add(s.get("stepId").asString()));
    assertThat(order)
        .containsExactly(
            "prepare",
            "restore:secrets",
            "restore:config",
            "restore:postgres",
            "check:orders",
            "check:config-present");
    assertThat(plan.get("estimatedMs").asLong()).isPositive();
    assertThat(plan.get("dataAsOf").asString()).isNotBlank();
    assertThat(plan.get("rpoMs").asLong()).isPositive().isLessThan(600_000L);
    assertThat(plan.get("objectiveRpoMs").asLong()).isEqualTo(86_400_000L);
    assertThat(plan.get("problems")).isEmpty();
  }

  @Test
  void changesOverTheApi_needTheToken() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String body =
        JSON.writeValueAsString(
            Map.of(
                "name",
                "api-" + RUN,
                "components",
                List.of(
                    Map.of("name", "config", "target", targets.resolve("api-config").toString()))));
    HttpRequest.Builder post =
        HttpRequest.newBuilder(URI.create(api + "/api/plans"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    assertThat(http.send(post.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
    assertThat(
            http.send(
                    post.copy().header("Authorization", "Bearer wrong").build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
    String token = Files.readString(home.resolve("api-token")).strip();
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("api-token"))))
        .isEqualTo("rw-------");
    HttpResponse<String> created =
        http.send(
            post.copy().header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    HttpResponse<String> run =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(api + "/api/plans/api-" + RUN + "/executions?mode=VALIDATE"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(run.statusCode()).isEqualTo(401);
    HttpResponse<String> unknown =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/api/recoveries/r-nosuchthing/rollback"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    // deleting a plan needs the token too
    HttpRequest.Builder delete =
        HttpRequest.newBuilder(URI.create(api + "/api/plans/api-" + RUN)).DELETE();
    assertThat(http.send(delete.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
    // the coordinator sees the new plan shortly after 201
    Eventually.await(
        "the plan's deletion to be accepted (204)",
        () ->
            http.send(
                    delete.copy().header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode(),
        c -> c == 204);
    Eventually.await(
        "the deleted plan to be gone (404)",
        () ->
            http.send(
                    HttpRequest.newBuilder(URI.create(api + "/api/plans/api-" + RUN)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode(),
        c -> c == 404);
    Cli.Result cliUnknown =
        Cli.run(cli("recover", "rollback", "r-nosuchthing", "--timeout", "PT10S"));
    assertThat(cliUnknown.exit()).isNotZero();
    assertThat(cliUnknown.err()).contains("no recovery execution r-nosuchthing");
  }

  @Test
  void oneCommand_restoresTheEnvironmentInOrder_checksIt_andReportsTheRto() throws Exception {
    JsonNode x = runJson("recover", "shop-" + RUN, "--json", "--timeout", "PT4M");

    assertThat(x.get("status").asString()).as(x.toString()).isEqualTo("SUCCEEDED");
    String shopExecution = x.get("executionId").asString();
    assertThat(x.get("rtoMs").asLong())
        .isPositive()
        .isLessThanOrEqualTo(x.get("objectiveRtoMs").asLong());
    assertThat(x.get("objectiveRtoMs").asLong()).isEqualTo(600_000L);
    // the RPO: what the restored environment lacks, from its backup's completion to the request
    assertThat(x.get("dataAsOf").asString()).isNotBlank();
    assertThat(x.get("rpoMs").asLong()).isPositive().isLessThan(600_000L);
    Map<String, JsonNode> steps = steps(x);
    steps
        .values()
        .forEach(
            s -> assertThat(s.get("status").asString()).as(s.toString()).isEqualTo("SUCCEEDED"));
    assertThat(steps.get("restore:postgres").get("bytes").asLong()).isPositive();
    assertThat(steps.get("restore:postgres").get("durationMs").asLong()).isPositive();

    assertThat(DbTools.pgDump(RUN + "_target")).isEqualTo(DbTools.pgDump(RUN + "_src"));
    assertThat(TreeSnapshot.of(targets.resolve("config")).entries().keySet())
        .isEqualTo(TreeSnapshot.of(sources.resolve("etc/shop")).entries().keySet());
    assertThat(Files.readString(targets.resolve("config/app.yaml")))
        .isEqualTo("server:\n  port: 8443\n");
    assertThat(Files.readString(targets.resolve("secrets/db-password")))
        .isEqualTo("correct horse battery staple");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(targets.resolve("secrets/db-password"))))
        .isEqualTo("rw-------");

    // the commands went out in plan order, each once
    List<String> run =
        RecoveryEvents.all(Topics.RECOVERY_COMMANDS).stream()
            .filter(c -> c.getExecutionId().equals(shopExecution))
            .map(c -> c.getAction() + " " + c.getStep().getStepId())
            .toList();
    assertThat(run)
        .containsExactly(
            "RUN prepare",
            "RUN restore:secrets",
            "RUN restore:config",
            "RUN restore:postgres",
            "RUN check:orders",
            "RUN check:config-present");
    // progress was published while the data flowed
    List<io.lifeboat.events.RecoveryProgress> progress =
        RecoveryEvents.all(Topics.RECOVERY_PROGRESS).stream()
            .filter(
                p ->
                    p.getExecutionId().equals(shopExecution)
                        && p.getStepId().equals("restore:postgres"))
            .toList();
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1).getPercent()).isEqualTo(100.0);
    assertThat(progress.get(progress.size() - 1).getBytesDone())
        .isEqualTo(steps.get("restore:postgres").get("bytes").asLong());
    // the execution is in the catalog with its RTO
    JsonNode history = awaitRecovery(shopExecution, "SUCCEEDED");
    assertThat(history.get("rtoMs").asLong()).isEqualTo(x.get("rtoMs").asLong());
    assertThat(history.get("rpoMs").asLong()).isEqualTo(x.get("rpoMs").asLong());
    assertThat(history.toString()).doesNotContain("correct horse");

    Cli.Result list = Cli.run(cli("recover", "list", "--plan", "shop-" + RUN));
    assertThat(list.out()).contains(shopExecution).contains("EXECUTE").contains("SUCCEEDED");
  }

  @Test
  void aFinishedRecovery_isRolledBack_originalsBackInPlace() throws Exception {
    String originalDump = DbTools.pgDump(RUN + "_rbtarget");
    createPlan(shopPlan("shop-rb-" + RUN, "10m", "_rbtarget", "config-rb", "secrets-rb", ""));
    JsonNode recovered = runJson("recover", "shop-rb-" + RUN, "--json", "--timeout", "PT4M");
    assertThat(recovered.get("status").asString()).as(recovered.toString()).isEqualTo("SUCCEEDED");
    assertThat(DbTools.pgDump(RUN + "_rbtarget")).isEqualTo(DbTools.pgDump(RUN + "_src"));
    String execution = recovered.get("executionId").asString();

    Cli.Result r = Cli.run(cli("recover", "rollback", execution, "--json", "--timeout", "PT3M"));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonNode x = JSON.readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(x.get("status").asString()).isEqualTo("ROLLED_BACK");
    assertThat(x.get("rolledBack").asBoolean()).isTrue();

    assertThat(DbTools.pgDump(RUN + "_rbtarget")).isEqualTo(originalDump);
    try (Stream<Path> s = Files.list(targets.resolve("config-rb"))) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("old.yaml");
    }
    assertThat(targets.resolve("secrets-rb")).doesNotExist();
    List<String> compensations =
        RecoveryEvents.all(Topics.RECOVERY_COMMANDS).stream()
            .filter(
                c -> c.getExecutionId().equals(execution) && c.getAction() == StepAction.COMPENSATE)
            .map(c -> c.getStep().getStepId())
            .toList();
    assertThat(compensations)
        .containsExactly("restore:postgres", "restore:config", "restore:secrets");

    Cli.Result status = Cli.run(cli("recover", "status", execution, "--json"));
    assertThat(status.exit()).as(status.out() + status.err()).isZero();
    assertThat(JSON.readTree(status.out()).get("status").asString()).isEqualTo("ROLLED_BACK");

    Cli.Result again = Cli.run(cli("recover", "rollback", execution, "--timeout", "PT1M"));
    assertThat(again.exit()).isEqualTo(ExitCodes.REJECTED);
    assertThat(again.err()).contains("already rolled back");
  }

  @Test
  void recoveryTest_restoresIntoScratchTargets_measuresTheRto_andTearsDown() throws Exception {
    // an RTO objective of 1 s that this run cannot meet whatever the machine's speed: one of its
    // checks alone takes 1.5 s
    createPlan(
        shopPlan(
            "shop-tight-" + RUN,
            "1s",
            "_target",
            "config-t",
            "secrets-t",
            """
          - name: slow
            command: sleep 1.5
        """));
    String targetBefore = DbTools.pgDump(RUN + "_target");

    JsonNode x = runJson("plan", "test", "shop-tight-" + RUN, "--json", "--timeout", "PT4M");

    assertThat(x.get("status").asString()).as(x.toString()).isEqualTo("SUCCEEDED");
    assertThat(x.get("mode").asString()).isEqualTo("TEST");
    assertThat(x.get("rtoMs").asLong()).isGreaterThanOrEqualTo(1_500L);
    Map<String, JsonNode> steps = steps(x);
    assertThat(steps.get("check:orders").get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(steps.get("restore:postgres").get("status").asString())
        .as("scratch torn down")
        .isEqualTo("COMPENSATED");
    // the real targets were not touched; the scratch ones are gone
    assertThat(DbTools.pgDump(RUN + "_target")).isEqualTo(targetBefore);
    assertThat(targets.resolve("config-t")).doesNotExist();
    assertThat(targets.resolve("secrets-t")).doesNotExist();
    try (Statement s = DbTools.pg("postgres").createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'lbtest%'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("scratch databases left behind").isZero();
    }
    Path scratch = home.resolve("scratch");
    if (Files.exists(scratch)) {
      try (Stream<Path> s = Files.list(scratch)) {
        assertThat(s.toList()).as("scratch folders left behind").isEmpty();
      }
    }
    // measured RTO over the objective: alerted, and in the catalog
    String id = x.get("executionId").asString();
    assertThat(
            RecoveryEvents.all(Topics.ALERTS).stream()
                .filter(a -> a.getKind().equals("recovery.rto-breached"))
                .map(Alert::getMessage))
        .anyMatch(m -> m.contains(id));
    JsonNode history = awaitRecovery(id, "SUCCEEDED");
    assertThat(history.get("mode").asString()).isEqualTo("TEST");
    assertThat(history.get("rtoMs").asLong()).isEqualTo(x.get("rtoMs").asLong());
  }

  @Test
  void validation_listsEveryProblem_missingBackup_unreachableTarget_missingTool() throws Exception {
    createPlan(
        """
        name: invalid-%s
        components:
          - name: ghost
            target: %s
          - name: config
            target: %s
          - name: postgres
            target: postgres://postgres@127.0.0.1:1/nowhere
        """
            .formatted(RUN, targets.resolve("ghost"), targets.resolve("config-v"))
            .replace("components:", "backup: " + shopBackup + "\ncomponents:"));
    Path noTools = Files.createDirectories(home.resolve("no-tools"));
    System.setProperty("lifeboat.tools.path", noTools.toString());
    JsonNode x;
    try {
      x = runJson("plan", "validate", "invalid-" + RUN, "--json", "--timeout", "PT2M");
    } finally {
      System.clearProperty("lifeboat.tools.path");
    }

    assertThat(x.get("status").asString()).as(x.toString()).isEqualTo("INVALID");
    List<String> problems = new ArrayList<>();
    x.get("problems").forEach(p -> problems.add(p.asString()));
    assertThat(problems)
        .as(problems.toString())
        .anyMatch(p -> p.contains("ghost") && p.contains("no verified backup"))
        .anyMatch(p -> p.contains("postgres") && p.contains("127.0.0.1:1"))
        .anyMatch(p -> p.contains("pg_restore not found"));
    assertThat(targets.resolve("config-v")).doesNotExist();
  }

  @Test
  void pointInTime_picksTheNewestVerifiedBackupAtOrBeforeIt() throws Exception {
    java.time.Instant between = java.time.Instant.now();
    Cli.Result later =
        Cli.run(
            cli(
                "backup",
                pg(RUN + "_src"),
                "config:" + sources.resolve("etc/shop"),
                "secrets:" + sources.resolve("run/secrets"),
                "--name",
                "shop-" + RUN,
                "--wait",
                "--json"));
    assertThat(later.exit()).as(later.out() + later.err()).isZero();
    String laterBackup = JSON.readTree(later.out()).get("backupId").asString();

    JsonNode then =
        runJson("plan", "validate", "shop-" + RUN, "--at", between.toString(), "--json");
    assertThat(then.get("status").asString()).as(then.toString()).isEqualTo("SUCCEEDED");
    assertThat(steps(then).get("restore:postgres").get("description").asString())
        .contains(shopBackup);
    JsonNode now =
        runJson(
            "plan",
            "validate",
            "shop-" + RUN,
            "--at",
            java.time.Instant.now().toString(),
            "--json");
    assertThat(steps(now).get("restore:postgres").get("description").asString())
        .contains(laterBackup);

    JsonNode before =
        runJson("plan", "validate", "shop-" + RUN, "--at", "2020-01-01T00:00Z", "--json");
    assertThat(before.get("status").asString()).isEqualTo("INVALID");
    assertThat(before.get("problems").toString())
        .contains("no verified backup")
        .contains("at or before 2020-01-01T00:00:00Z");
  }

  @Test
  void aDatabaseStepFailingAfterTheConfigurationStep_putsEveryTargetBack() throws Exception {
    Files.createDirectories(sources.resolve("etc/shop-b"));
    Files.writeString(sources.resolve("etc/shop-b/app.yaml"), "server:\n  port: 9443\n");
    Cli.Result b =
        Cli.run(
            cli(
                "backup",
                pg(RUN + "_src2"),
                "config:" + sources.resolve("etc/shop-b"),
                "--name",
                "broken-" + RUN,
                "--wait",
                "--json"));
    assertThat(b.exit()).as(b.out() + b.err()).isZero();
    String brokenBackup = JSON.readTree(b.out()).get("backupId").asString();
    corruptChunksOnlyIn(brokenBackup, "postgres");
    String victimBefore = DbTools.pgDump(RUN + "_victim");
    Map<String, TreeSnapshot.Entry> configBefore =
        withoutRoot(TreeSnapshot.of(targets.resolve("config-b")));

    createPlan(
        """
        name: broken-%s
        backup: %s
        components:
          - name: config
            target: %s
          - name: postgres
            target: %s
        """
            .formatted(RUN, brokenBackup, targets.resolve("config-b"), pg(RUN + "_victim")));
    Cli.Result r = Cli.run(cli("recover", "broken-" + RUN, "--json", "--timeout", "PT4M"));

    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILED);
    JsonNode x = JSON.readTree(r.out().lines().reduce((a, c) -> c).orElseThrow());
    assertThat(x.get("status").asString()).as(x.toString()).isEqualTo("FAILED");
    assertThat(x.get("rolledBack").asBoolean()).isTrue();
    Map<String, JsonNode> steps = steps(x);
    assertThat(steps.get("restore:config").get("status").asString()).isEqualTo("COMPENSATED");
    assertThat(steps.get("restore:postgres").get("status").asString()).isEqualTo("FAILED");
    assertThat(x.get("reason").asString()).contains("restore:postgres");

    // every target as it was
    assertThat(DbTools.pgDump(RUN + "_victim")).isEqualTo(victimBefore);
    assertThat(withoutRoot(TreeSnapshot.of(targets.resolve("config-b")))).isEqualTo(configBefore);
    // the compensation is an event on the commands topic, and the execution's history shows it
    String id = x.get("executionId").asString();
    List<RecoveryStepCommand> commands =
        RecoveryEvents.all(Topics.RECOVERY_COMMANDS).stream()
            .filter(c -> c.getExecutionId().equals(id))
            .toList();
    assertThat(commands.stream().map(c -> c.getAction() + " " + c.getStep().getStepId()))
        .containsExactly(
            "RUN prepare",
            "RUN restore:config",
            "RUN restore:postgres",
            "COMPENSATE restore:config");
    List<RecoveryExecution> updates =
        RecoveryEvents.all(Topics.RECOVERY_EXECUTIONS).stream()
            .filter(e -> e.getExecutionId().equals(id))
            .toList();
    assertThat(updates)
        .extracting(RecoveryExecution::getStatus)
        .contains(RecoveryStatus.COMPENSATING, RecoveryStatus.FAILED);
    assertThat(
            updates.stream()
                .flatMap(u -> u.getSteps().stream())
                .filter(s -> s.getStepId().equals("restore:config"))
                .map(s -> s.getStatus()))
        .contains(StepStatus.COMPENSATING, StepStatus.COMPENSATED);
    assertThat(
            RecoveryEvents.all(Topics.ALERTS).stream()
                .filter(a -> a.getKind().equals("recovery.failed"))
                .map(Alert::getMessage))
        .anyMatch(m -> m.contains(id) && m.contains("every change was rolled back"));
  }

  static Map<String, TreeSnapshot.Entry> withoutRoot(TreeSnapshot t) {
    Map<String, TreeSnapshot.Entry> m = new java.util.TreeMap<>(t.entries());
    m.remove(".");
    return m;
  }

  /** Flips a byte in every chunk of the component that no other component or backup shares. */
  static void corruptChunksOnlyIn(String backupId, String component) throws Exception {
    Repository repo =
        Repository.open(new LocalBackend(repoDir, false), MasterKey.fromFile(keyFile));
    Set<String> elsewhere = new HashSet<>();
    Manifest m = repo.readManifest(backupId);
    m.components().stream()
        .filter(c -> !c.name().equals(component))
        .forEach(c -> elsewhere.addAll(c.chunks()));
    for (String other : repo.listManifests()) {
      if (!other.equals(backupId)) {
        repo.readManifest(other).components().forEach(c -> elsewhere.addAll(c.chunks()));
      }
    }
    List<String> victims =
        m.components().stream()
            .filter(c -> c.name().equals(component))
            .flatMap(c -> c.chunks().stream())
            .filter(h -> !elsewhere.contains(h))
            .distinct()
            .toList();
    assertThat(victims).isNotEmpty();
    for (String hex : victims) {
      Path file = repoDir.resolve(RepositoryLayout.chunk(hex));
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 0x5a;
      Files.write(file, bytes);
    }
  }

  static JsonNode awaitRecovery(String executionId, String status) {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r =
        Eventually.await(
            "the catalog to show " + executionId + " as " + status,
            () ->
                http.send(
                    HttpRequest.newBuilder(URI.create(api + "/api/recoveries/" + executionId))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()),
            res ->
                res.statusCode() == 200
                    && JSON.readTree(res.body()).get("status").asString().equals(status));
    return JSON.readTree(r.body());
  }
}
