package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.schedule.ScheduledBackups;
import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.BackupStatus;
import io.lifeboat.events.Topics;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import io.lifeboat.testkit.TestBroker;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler as its own process against the real broker, with every stage running: each slot
 * fires exactly once across SIGKILLs and restarts, a slot that passed while no scheduler ran fires
 * once with an alert, a slot whose previous backup still runs is skipped with an alert, and the RPO
 * alert is raised and cleared.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SchedulerIT {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static LocalPipeline pipeline;
  static Process scheduler;
  static int schedulerPort;
  static int generation;
  static Path source;
  static final List<String> created = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    // the stages here (their own scheduler is off in tests); the scheduler in its own JVM
    pipeline =
        LocalPipeline.start(
            "sched", null, 0, Map.of("lifeboat.recovery.executor.command-checks", "true"));
    schedulerPort = FreePorts.next();
    source = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-sched").resolve("data");
    Files.createDirectories(source);
    Files.writeString(source.resolve("app.conf"), "port = 8443\n");
    scheduler = startScheduler();
  }

  @AfterAll
  static void stop() throws Exception {
    for (String name : created) {
      pipeline.cli("schedule", "delete", name); // a schedule left behind would fire for good
    }
    if (scheduler != null) {
      scheduler.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** The scheduler application alone, in a child JVM with this test's classpath. */
  static Process startScheduler() throws Exception {
    generation++;
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.lifeboat.scheduler.SchedulerApplication",
            "--lifeboat.home=" + pipeline.home(),
            "--lifeboat.kafka.bootstrap-servers=" + TestBroker.bootstrapServers(),
            "--lifeboat.kafka.client.[session.timeout.ms]=6000",
            "--lifeboat.scheduler.application-id=scheduler-" + RUN,
            "--lifeboat.scheduler.late-after=PT10S",
            "--server.port=" + schedulerPort,
            "--server.address=127.0.0.1",
            "--spring.main.banner-mode=off");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(pipeline.home().resolve("scheduler-" + generation + ".log").toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    Eventually.until(
        "the scheduler's health endpoint on port " + schedulerPort,
        () -> {
          if (!p.isAlive()) {
            throw new AssertionError(
                "the scheduler exited; see "
                    + pipeline.home()
                    + File.separator
                    + "scheduler-*.log");
          }
          return http.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:"
                                      + schedulerPort
                                      + "/actuator/health/liveness"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode()
              == 200;
        });
    return p;
  }

  static void kill() throws Exception {
    scheduler.destroyForcibly(); // SIGKILL: no shutdown hook, no clean Streams close
    assertThat(scheduler.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  static void create(String name, String... args) {
    List<String> all = new ArrayList<>(List.of("schedule", "create", name));
    all.addAll(List.of(args));
    Cli.Result r = pipeline.cli(all.toArray(String[]::new));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("schedule " + name + " saved");
    created.add(name);
  }

  static List<BackupRequested> requests(String schedule) {
    return RecoveryEvents.all(Topics.BACKUP_REQUESTS).stream()
        .filter(r -> schedule.equals(r.getLabels().get(ScheduledBackups.SCHEDULE_LABEL)))
        .toList();
  }

  static List<Alert> alerts(String schedule, String kind) {
    return RecoveryEvents.all(Topics.ALERTS).stream()
        .filter(a -> a.getSubject().equals(schedule) && a.getKind().equals(kind))
        .toList();
  }

  static List<BackupCompleted> completions(String schedule) {
    return RecoveryEvents.all(Topics.BACKUP_COMPLETIONS).stream()
        .filter(c -> schedule.equals(c.getLabels().get(ScheduledBackups.SCHEDULE_LABEL)))
        .toList();
  }

  static List<String> deletions(String name) {
    return RecoveryEvents.all(Topics.BACKUP_DELETIONS).stream()
        .filter(d -> d.getName().equals(name))
        .map(d -> d.getBackupId())
        .sorted()
        .toList();
  }

  static Instant slotOf(BackupRequested r) {
    return Instant.parse(r.getLabels().get(ScheduledBackups.SLOT_LABEL));
  }

  /** Waits until the schedule has fired {@code n} requests; returns them. */
  static List<BackupRequested> awaitRequests(String schedule, int n, Duration within) {
    Eventually.until(
        n + " request(s) of " + schedule, within, () -> requests(schedule).size() >= n);
    return requests(schedule);
  }

  static void sleepUntil(Instant t) throws InterruptedException {
    long ms = Duration.between(Instant.now(), t).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  /**
   * Slots every 30 s (a seconds field in the cron): the slot length only has to exceed the
   * scheduler's start-up time, which the restarts below must fit in.
   */
  @Test
  void everyHalfMinute_firesEachSlotOnce_acrossKillsAndRestarts_andAMissedSlotOnceWithAnAlert()
      throws Exception {
    String name = "halfminutely-" + RUN;
    create(name, "--cron", "*/30 * * * * *", "--keep-all", "files:" + source);

    Instant s1 = slotOf(awaitRequests(name, 1, Duration.ofSeconds(60)).get(0));
    kill(); // right after a slot fired
    scheduler = startScheduler(); // back before the next slot is late (late-after is 10 s)
    Instant s2 = s1.plusSeconds(30);
    awaitRequests(name, 2, Duration.ofSeconds(60));
    kill();
    // down across the third slot until it is past late-after; back before the fourth is due
    Instant s3 = s2.plusSeconds(30);
    sleepUntil(s3.plusSeconds(11));
    assertThat(requests(name)).hasSize(2);
    scheduler = startScheduler();
    // a restart slower than the 19 s the test leaves (a busy machine) is back after s4 is due:
    // then the scheduler fires s4 once, late, for both missed slots, and never s3
    Instant back = Instant.now();
    Instant s4 = s3.plusSeconds(30);
    Eventually.until(
        "slot " + s4 + " of " + name,
        Duration.ofSeconds(60),
        () -> requests(name).stream().anyMatch(r -> slotOf(r).equals(s4)));
    boolean s3Owed = requests(name).stream().anyMatch(r -> slotOf(r).equals(s3));
    if (back.isBefore(s4.minusSeconds(5))) {
      assertThat(s3Owed).as("back at %s, well before %s: %s is owed", back, s4, s3).isTrue();
    } else if (back.isAfter(s4)) {
      assertThat(s3Owed).as("back at %s, after %s: only %s fires", back, s4, s4).isFalse();
    }
    Cli.Result paused = pipeline.cli("schedule", "pause", name);
    assertThat(paused.exit()).as(paused.out() + paused.err()).isZero();
    Eventually.until(
        "the backups complete",
        Duration.ofSeconds(90),
        () -> completions(name).size() >= (s3Owed ? 4 : 3));

    // exactly one request per slot up to the pause (they are spread over partitions: any order)
    List<BackupRequested> fired =
        requests(name).stream().filter(r -> !slotOf(r).isAfter(s4)).toList();
    List<Instant> slots = s3Owed ? List.of(s1, s2, s3, s4) : List.of(s1, s2, s4);
    assertThat(fired).extracting(SchedulerIT::slotOf).containsExactlyInAnyOrderElementsOf(slots);
    assertThat(fired)
        .extracting(BackupRequested::getBackupId)
        .containsExactlyInAnyOrderElementsOf(
            slots.stream().map(t -> ScheduledBackups.id(t, name)).toList());
    assertThat(completions(name))
        .hasSizeGreaterThanOrEqualTo(slots.size())
        .allSatisfy(c -> assertThat(c.getStatus()).isEqualTo(BackupStatus.SUCCESS));
    // s3 passed while no scheduler ran: one alert. Any other alert must be for a slot that really
    // fired late (a restart slower than the test meant), never for one fired on time.
    List<Alert> missed = alerts(name, "schedule.missed");
    assertThat(missed)
        .filteredOn(a -> a.getLabels().get("slot").equals((s3Owed ? s3 : s4).toString()))
        .singleElement()
        .satisfies(a -> assertThat(a.getMessage()).contains("fired once now"));
    assertThat(missed).extracting(a -> a.getLabels().get("slot")).doesNotHaveDuplicates();
    for (Alert a : missed) {
      BackupRequested r =
          fired.stream()
              .filter(f -> slotOf(f).toString().equals(a.getLabels().get("slot")))
              .findFirst()
              .orElseThrow();
      assertThat(Duration.between(slotOf(r), r.getEnvelope().getTime()))
          .as("an alert for slot %s, which fired at %s", slotOf(r), r.getEnvelope().getTime())
          .isGreaterThan(Duration.ofSeconds(10));
    }
    // the catalog shows them under their schedule's label
    Cli.Result list = pipeline.cli("list", "--name", name);
    assertThat(list.out()).contains(ScheduledBackups.id(s4, name));
  }

  @Test
  void aSlotWhoseBackupStillRuns_isSkippedWithAnAlert_andTheNextOneFiresAfterIt() throws Exception {
    RequiredServers.assume(
        "postgres",
        FreePorts.listening(DbTools.PG.split(":")[0], Integer.parseInt(DbTools.PG.split(":")[1])),
        "nothing listens on " + DbTools.PG);
    String db = "lb_sched_" + RUN;
    DbTools.execute(DbTools.pg("postgres"), List.of("CREATE DATABASE " + db));
    DbTools.execute(
        DbTools.pg(db), List.of("CREATE TABLE t (x int)", "INSERT INTO t VALUES (1), (2)"));
    String name = "overlap-" + RUN;
    Connection lock = DbTools.pg(db);
    String first;
    try {
      // pg_dump waits for this lock: the first scheduled backup runs until the test lets it go
      lock.setAutoCommit(false);
      lock.createStatement().execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
      create(
          name,
          "--cron",
          "*/10 * * * * *",
          "--keep-all",
          "postgres://postgres@" + DbTools.PG + "/" + db);
      first = awaitRequests(name, 1, Duration.ofSeconds(60)).get(0).getBackupId();
      Eventually.until(
          "a skipped slot",
          Duration.ofSeconds(60),
          () -> !alerts(name, "schedule.slot-skipped").isEmpty());
      assertThat(alerts(name, "schedule.slot-skipped").get(0).getMessage())
          .contains(first)
          .contains("still running");
      assertThat(requests(name)).hasSize(1);
    } finally {
      lock.rollback();
      lock.close();
    }
    awaitRequests(name, 2, Duration.ofSeconds(90));
    Cli.Result paused = pipeline.cli("schedule", "pause", name);
    assertThat(paused.exit()).as(paused.out() + paused.err()).isZero();
    List<BackupRequested> fired = requests(name);
    Instant skipped =
        Instant.parse(alerts(name, "schedule.slot-skipped").get(0).getLabels().get("slot"));
    assertThat(fired).extracting(SchedulerIT::slotOf).doesNotContain(skipped);
    Eventually.until(
        "the first backup completes once the lock is gone",
        Duration.ofSeconds(60),
        () ->
            completions(name).stream()
                .anyMatch(
                    c -> c.getBackupId().equals(first) && c.getStatus() == BackupStatus.SUCCESS));
  }

  @Test
  void theRpoAlert_isRaisedWhenNoBackupIsNewEnough_andClearedByASuccess() throws Exception {
    String name = "rpo-" + RUN;
    create(name, "--cron", "0 3 * * *", "--rpo", "PT5S", "--paused", "files:" + source);

    Eventually.until(
        "the RPO alert",
        Duration.ofSeconds(60),
        () -> !alerts(name, "backup.rpo-breached").isEmpty());
    Alert raised = alerts(name, "backup.rpo-breached").get(0);
    assertThat(raised.getLabels()).containsEntry("state", "firing");
    assertThat(raised.getMessage()).contains("no successful backup").contains("5 s");

    Cli.Result run = pipeline.cli("schedule", "run", name, "--wait", "--timeout", "PT2M");
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    Eventually.until(
        "the RPO alert cleared",
        Duration.ofSeconds(60),
        () -> alerts(name, "backup.rpo-breached").size() >= 2);
    List<Alert> both = alerts(name, "backup.rpo-breached");
    assertThat(both.get(1).getLabels()).containsEntry("state", "resolved");
    assertThat(both.get(1).getMessage()).contains(run.out().strip());

    // the API knows the recovery point the schedule and its backup name reached
    String id = run.out().strip();
    tools.jackson.databind.JsonNode schedule =
        Eventually.await(
            "the catalog's view of " + name,
            () -> api("/api/schedules/" + name),
            j -> j != null && id.equals(j.path("lastSuccessBackupId").asString("")));
    assertThat(schedule.get("rpo").asString()).isEqualTo("PT5S");
    assertThat(schedule.get("ageSeconds").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(schedule.get("paused").asBoolean()).isTrue();
    tools.jackson.databind.JsonNode points = api("/api/recovery-points");
    assertThat(points.valueStream().filter(p -> p.get("name").asString().equals(name)))
        .singleElement()
        .satisfies(p -> assertThat(p.get("lastSuccessBackupId").asString()).isEqualTo(id));
  }

  static tools.jackson.databind.JsonNode api(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(pipeline.lifeboat().apiUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new java.io.IOException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.body());
  }

  @Test
  void retentionRunsAfterEachScheduledBackup_andTheCatalogShowsWhatItRemoved() throws Exception {
    String name = "retained-" + RUN;
    create(name, "--cron", "*/3 * * * * *", "--keep-last", "2", "files:" + source);
    Eventually.until(
        "4 scheduled backups done", Duration.ofSeconds(90), () -> completions(name).size() >= 4);
    Cli.Result paused = pipeline.cli("schedule", "pause", name);
    assertThat(paused.exit()).as(paused.out() + paused.err()).isZero();
    Eventually.until(
        "the backups in flight end",
        Duration.ofSeconds(60),
        () -> completions(name).size() == requests(name).size());

    List<String> done =
        completions(name).stream()
            .filter(c -> c.getStatus() == BackupStatus.SUCCESS)
            .map(BackupCompleted::getBackupId)
            .sorted()
            .toList();
    Eventually.until(
        "the retention after the last backup",
        Duration.ofSeconds(60),
        () -> deletions(name).size() >= done.size() - 2);
    List<String> deleted = deletions(name);
    // every backup but the newest two was removed, each by the backup that came after it
    assertThat(deleted).isEqualTo(done.subList(0, done.size() - 2));
    for (String id : done) {
      assertThat(Files.exists(pipeline.repoDir().resolve("manifests/" + id)))
          .as(id)
          .isEqualTo(!deleted.contains(id));
    }
    assertThat(
            RecoveryEvents.all(Topics.BACKUP_DELETIONS).stream()
                .filter(d -> d.getName().equals(name))
                .findFirst()
                .orElseThrow()
                .getReason())
        .contains("retention")
        .contains("keep-last");
  }

  static HttpResponse<String> call(String method, String path, String body, boolean withToken)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(pipeline.lifeboat().apiUrl() + path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (withToken) {
      b.header(
          "Authorization",
          "Bearer " + Files.readString(pipeline.home().resolve("api-token")).strip());
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theHttpApi_createsAndDeletesSchedules_andCancels_onlyWithTheToken() throws Exception {
    String name = "api-" + RUN;
    String body =
        """
        {"name": "%s", "cron": "0 3 * * *", "zone": "Europe/Berlin", "rpo": "PT26H",
         "components": {"app": "files:%s"}, "retention": {"keep-daily": "7"}}
        """
            .formatted(name, source);
    assertThat(call("POST", "/api/schedules", body, false).statusCode()).isEqualTo(401);
    HttpResponse<String> bad =
        call("POST", "/api/schedules", body.replace("0 3 * * *", "0 25 * * *"), true);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("invalid cron expression");
    HttpResponse<String> ok = call("POST", "/api/schedules", body, true);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    created.add(name);

    tools.jackson.databind.JsonNode seen =
        Eventually.await(
            "the catalog to list " + name, () -> api("/api/schedules/" + name), j -> j != null);
    assertThat(seen.get("zone").asString()).isEqualTo("Europe/Berlin");
    assertThat(seen.get("retention").get("keep-daily").asString()).isEqualTo("7");
    Cli.Result listed = pipeline.cli("schedule", "list");
    assertThat(listed.out()).contains(name).contains("Europe/Berlin");

    // cancelling: an ended backup is refused with the reason, an unknown one is not found
    Cli.Result b = pipeline.cli("backup", "files:" + source, "--wait", "--json");
    assertThat(b.exit()).as(b.out() + b.err()).isZero();
    String ended =
        tools.jackson.databind.json.JsonMapper.builder()
            .build()
            .readTree(b.out())
            .get("backupId")
            .asString();
    assertThat(call("POST", "/api/backups/" + ended + "/cancel", "", false).statusCode())
        .isEqualTo(401);
    HttpResponse<String> refused = call("POST", "/api/backups/" + ended + "/cancel", "", true);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("has ended (SUCCESS)");
    assertThat(call("POST", "/api/backups/nope-" + RUN + "/cancel", "", true).statusCode())
        .isEqualTo(404);

    assertThat(call("DELETE", "/api/schedules/" + name, "", true).statusCode()).isEqualTo(204);
    Eventually.until(
        "the schedule gone from the catalog",
        () -> call("GET", "/api/schedules/" + name, "", false).statusCode() == 404);
  }

  @Test
  void aPlanTestSchedule_testsThePlanAtItsSlots() throws Exception {
    String name = "dr-" + RUN;
    Cli.Result b = pipeline.cli("backup", "files:" + source, "--name", name, "--wait");
    assertThat(b.exit()).as(b.out() + b.err()).isZero();
    Path plan = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-sched-plan").resolve("p.yaml");
    Files.writeString(
        plan,
        """
        name: %s
        from: %s
        components:
          - name: files
            target: %s
        checks:
          - name: config-there
            command: test -s "$LIFEBOAT_TARGET_FILES/app.conf"
        """
            .formatted(name, name, plan.resolveSibling("target")));
    Cli.Result created = pipeline.cli("plan", "create", plan.toString());
    assertThat(created.out()).as(created.out() + created.err()).contains("saved");
    Cli.Result refused =
        pipeline.cli(
            "schedule",
            "create",
            name,
            "--cron",
            "* * * * *",
            "--plan-test",
            name,
            "files:" + source);
    assertThat(refused.exit()).isEqualTo(ExitCodes.USAGE);

    create(name, "--cron", "*/5 * * * * *", "--plan-test", name);

    Eventually.until(
        "a scheduled plan test that passed",
        Duration.ofSeconds(90),
        () ->
            RecoveryEvents.all(Topics.RECOVERY_EXECUTIONS).stream()
                .anyMatch(
                    x ->
                        ScheduledBackups.scheduleOf(x.getExecutionId())
                                .filter(name::equals)
                                .isPresent()
                            && x.getMode() == io.lifeboat.events.RecoveryMode.TEST
                            && x.getStatus() == io.lifeboat.events.RecoveryStatus.SUCCEEDED));
    Cli.Result paused = pipeline.cli("schedule", "pause", name);
    assertThat(paused.exit()).as(paused.out() + paused.err()).isZero();
    Cli.Result shown = pipeline.cli("schedule", "show", name);
    assertThat(shown.out()).contains("\"action\":\"PLAN_TEST\"").contains("\"paused\":true");
  }
}
