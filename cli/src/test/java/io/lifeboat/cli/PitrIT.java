package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import io.lifeboat.testkit.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Point-in-time recovery of a real PostgreSQL 15 cluster (issue 18): the test's own cluster
 * archives its WAL with {@code archive_command = 'lifeboat wal push --source it-pg %p'} (a JVM per
 * file, as user postgres) through the running pipeline; a {@code pgbase} base backup; a minute of
 * commits; restores to the end of the archive and to a time between two commits, each a started,
 * promoted server; then a segment the archive never gets (a gap): detected, alerted, a restore past
 * it refused, a restore before it still works.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PitrIT {

  private static final String SOURCE = "it-pg";

  /** PostgreSQL's archive_timeout here: the default `lifeboat wal` documents (docs/pitr.md). */
  private static final int ARCHIVE_TIMEOUT = 30;

  private static RunningLifeboat up;
  private static PgCluster pg;
  private static Path root;
  private static Path flags;
  private static String baseId;
  private static final List<Instant> commitStarted = new ArrayList<>();
  private static final List<Instant> commitEnded = new ArrayList<>();
  private static final List<Long> rpoSamples = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    RequiredServers.assume(
        "postgres",
        PgCluster.available(),
        "PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin), setpriv, and running as root");
    // with a scheduler of its own (tests run without one by default): it watches the archive
    up =
        RunningLifeboat.start(
            "pitr",
            Map.of(
                "lifeboat.scheduler.enabled",
                "true",
                "lifeboat.scheduler.application-id",
                "scheduler-pitr-" + System.nanoTime()));
    root = Files.createTempDirectory("lifeboat-pitr");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    flags = root.resolve("flags");
    String script = PgCluster.archiveScript(root, SOURCE, TestBroker.bootstrapServers());
    pg = PgCluster.start(root.resolve("pg"), FreePorts.next(), script + " %p", ARCHIVE_TIMEOUT);
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (up != null) {
      Cli.run(up.cli("wal", "watch", SOURCE, "--off")); // a watch left behind would alert for good
    }
    if (root != null) {
      for (String restored : List.of("latest", "middle", "past-gap")) {
        PgCluster.stop(root.resolve(restored));
      }
    }
    if (pg != null) {
      pg.close();
    }
    if (up != null) {
      up.close();
    }
    if (root != null) {
      PgCluster.deleteTree(root);
    }
  }

  @Test
  @Order(1)
  void aBaseBackupAndAMinuteOfCommits_restoreToTheEnd_losesAtMostTheOpenSegment() throws Exception {
    Cli.Result base =
        Cli.run(up.cli("backup", pg.spec(SOURCE), "--name", "it-pg-base", "--wait", "--json"));
    assertThat(base.exit()).as(base.out() + base.err()).isZero();
    baseId = field(base.out(), "backupId");
    // the scheduler watches the archive's age: 20 s is less than a 30 s archive_timeout cycle, so
    // it must be breached (and cleared again by the next archived segment) within the minute
    Cli.Result watch = Cli.run(up.cli("wal", "watch", SOURCE, "--rpo", "PT20S"));
    assertThat(watch.exit()).as(watch.out() + watch.err()).isZero();

    // a minute of commits, one every ~50 ms, while the archive's age (the RPO now) is sampled
    Instant end = Instant.now().plus(Duration.ofSeconds(60));
    AtomicLong maxRpo = new AtomicLong(-1);
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                Cli.Result st = Cli.run(up.cli("wal", "status", SOURCE, "--json"));
                Matcher m = Pattern.compile("\"rpoSeconds\":(\\d+)").matcher(st.out());
                if (m.find()) {
                  long rpo = Long.parseLong(m.group(1));
                  synchronized (rpoSamples) {
                    rpoSamples.add(rpo);
                  }
                  maxRpo.accumulateAndGet(rpo, Math::max);
                }
                try {
                  Thread.sleep(2000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "rpo-sampler");
    sampler.start();
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      for (long k = 1; Instant.now().isBefore(end); k++) {
        commitStarted.add(Instant.now());
        s.execute("INSERT INTO t (id) VALUES (" + k + ")");
        commitEnded.add(Instant.now());
        Thread.sleep(50);
      }
    } finally {
      sampler.interrupt();
      sampler.join();
    }
    int committed = commitEnded.size();
    System.out.printf(
        "PitrIT: %d commits in 60 s; archive age sampled %d times, max %d s (archive_timeout %d s)%n",
        committed, rpoSamples.size(), maxRpo.get(), ARCHIVE_TIMEOUT);
    assertThat(rpoSamples).as("RPO samples from lifeboat wal status").hasSizeGreaterThan(10);
    assertThat(maxRpo.get())
        .as("the largest age of the newest archived WAL, s")
        .isLessThanOrEqualTo(60);
    Eventually.await(
        "the watch's backup.rpo-breached alert about schedule wal." + SOURCE,
        Duration.ofSeconds(60),
        () -> get("/api/alerts") + "\nschedules: " + get("/api/schedules"),
        seen -> seen.contains("backup.rpo-breached") && seen.contains("schedule wal." + SOURCE));

    // restore to the end of the archive, right away: what is archived now
    Path latest = root.resolve("latest");
    int port = FreePorts.next();
    Instant restoreAt = Instant.now();
    Cli.Result r =
        Cli.run(
            up.cli("restore", baseId, "--component", "pgbase", "--to", latest + "?port=" + port));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    Instant until = Instant.parse(field(r.err(), "recoverable until (\\S+?),", true));
    long[] restored = countAndMax(port);
    assertThat(restored[0]).as("restored rows are 1..max, no holes").isEqualTo(restored[1]);
    long archivedCommits = commitEnded.stream().filter(t -> t.isBefore(until)).count();
    assertThat(restored[1])
        .as("every commit that ended before the newest archived segment was closed (%s)", until)
        .isGreaterThanOrEqualTo(archivedCommits);
    long lost = committed - restored[1];
    System.out.printf(
        "PitrIT: restore to the end of the archive: %d of %d rows; lost the last %d commits"
            + " (%.1f s of commits; the archive's newest segment closed %.1f s before the restore)%n",
        restored[1],
        committed,
        lost,
        lost == 0
            ? 0.0
            : Duration.between(commitEnded.get((int) restored[1]), commitEnded.get(committed - 1))
                    .toMillis()
                / 1000.0,
        Duration.between(until, restoreAt).toMillis() / 1000.0);
    assertThat(Duration.between(until, restoreAt))
        .as("data loss window of a restore to the end")
        .isLessThanOrEqualTo(Duration.ofSeconds(60));
    PgCluster.stop(latest);
  }

  @Test
  @Order(2)
  void aMissingSegment_isAGap_alerted_aRestorePastItRefused_andBeforeItStillExact()
      throws Exception {
    String skipped;
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      // a fresh segment, a row in it, and then its name (the insert position lies inside it; a
      // position right at a segment boundary would name the segment before)
      s.execute("SELECT pg_switch_wal()");
      long next = commitEnded.size() + 1;
      s.execute("INSERT INTO t (id) VALUES (" + (next++) + ")");
      try (ResultSet rs = s.executeQuery("SELECT pg_walfile_name(pg_current_wal_insert_lsn())")) {
        rs.next();
        skipped = rs.getString(1);
      }
      Files.writeString(flags.resolve("skip-" + skipped), "");
      for (int round = 0; round < 2; round++) {
        s.execute("INSERT INTO t (id) VALUES (" + (next++) + ")");
        s.execute("SELECT pg_switch_wal()");
      }
    }
    String gapFile = skipped;
    Cli.Result status =
        Eventually.await(
            "lifeboat wal status to show the gap at " + gapFile,
            Duration.ofSeconds(90),
            () -> Cli.run(up.cli("wal", "status", SOURCE, "--json")),
            st -> st.out().contains("\"gaps\":[{") && st.out().contains(gapFile));
    assertThat(status.exit()).as("wal status exits non-zero while there is a gap").isEqualTo(4);
    HttpClient http = HttpClient.newHttpClient();
    Eventually.until(
        "a wal.gap alert naming " + gapFile,
        () -> {
          String alerts =
              http.send(
                      HttpRequest.newBuilder(URI.create(up.api + "/api/alerts")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body();
          return alerts.contains("wal.gap") && alerts.contains(gapFile);
        });

    // the catalog shows the same: the gap, the base's window ending before it, the RPO
    Eventually.await(
        "the catalog's /api/wal/sources/" + SOURCE + " to show the gap at " + gapFile,
        Duration.ofSeconds(60),
        () -> get("/api/wal/sources/" + SOURCE),
        wal ->
            wal.contains("\"from\":\"" + gapFile)
                && wal.contains("\"baseBackupId\":\"" + baseId)
                && wal.contains("\"rpoSeconds\":"));

    // past the gap: refused with the reason, nothing created
    Path pastGap = root.resolve("past-gap");
    Cli.Result refused =
        Cli.run(
            up.cli(
                "restore",
                baseId,
                "--component",
                "pgbase",
                "--to",
                pastGap + "?port=" + FreePorts.next(),
                "--at",
                Instant.now().toString()));
    assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(4);
    assertThat(refused.err()).contains("WAL gap").contains(gapFile);
    assertThat(pastGap).doesNotExist();

    // before the gap: exactly the rows committed before a time between two commits mid-minute
    int k = 0;
    Instant mid = commitStarted.get(0).plus(Duration.ofSeconds(30));
    while (commitEnded.get(k).isBefore(mid)) {
      k++;
    }
    Instant after = commitEnded.get(k - 1);
    Instant before = commitStarted.get(k);
    Instant target = after.plus(Duration.between(after, before).dividedBy(2));
    Path middle = root.resolve("middle");
    int port = FreePorts.next();
    Cli.Result r =
        Cli.run(
            up.cli(
                "restore",
                "latest", // with --at: the newest base backup that ended before the time
                "--component",
                "pgbase",
                "--to",
                middle + "?port=" + port,
                "--at",
                target.toString()));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    long[] restored = countAndMax(port);
    System.out.printf(
        "PitrIT: restore to %s (between commits %d and %d, %d ms apart): %d rows, max id %d%n",
        target, k, k + 1, Duration.between(after, before).toMillis(), restored[0], restored[1]);
    assertThat(restored).as("rows committed before %s", target).containsExactly(k, k);
    PgCluster.stop(middle);

    // the same through a recovery plan with a time: a recovery test into a scratch data directory
    // beside the plan's target, checked with SQL, then removed
    Path plan = root.resolve("plan.yaml");
    Files.writeString(
        plan,
        String.join(
            "\n",
            "name: it-pg-pitr",
            "rto: 10m",
            "from: it-pg-base",
            "components:",
            "  - name: pgbase",
            "    target: " + root.resolve("plan-target"),
            "checks:",
            "  - name: rows-before-the-time",
            "    sql: select count(*) || ':' || max(id) from t",
            "    component: pgbase",
            "    expect: \"" + k + ":" + k + "\"",
            ""));
    Cli.Result created = Cli.run(up.cli("plan", "create", plan.toString()));
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    Instant planTime = target.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    Cli.Result test =
        Cli.run(
            up.cli("plan", "test", "it-pg-pitr", "--at", planTime.toString(), "--timeout", "PT5M"));
    System.out.println("PitrIT: plan test --at " + planTime + ":\n" + test.out());
    assertThat(test.exit()).as(test.out() + test.err()).isZero();
    assertThat(test.out()).contains("rows-before-the-time");
    try (var left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("the scratch data directory is removed after the test")
          .noneMatch(n -> n.contains("lifeboat-test-"));
    }

    // retention of the archive: only the WAL from before the base backup may go
    Cli.Result forget = Cli.run(up.cli("forget", "--name", "wal." + SOURCE, "--dry-run"));
    assertThat(forget.exit()).as(forget.out() + forget.err()).isZero();
    assertThat(forget.out())
        .contains("would remove wal." + SOURCE + ".000000010000000000000001.")
        .doesNotContain("would remove wal." + SOURCE + ".000000010000000000000002.")
        .contains("WAL needed by the kept base backups (from " + baseId);
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(up.api + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  private static long[] countAndMax(int port) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), coalesce(max(id), 0) FROM t")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  private static String field(String json, String name) {
    return field(json, "\"" + name + "\":\"([^\"]+)\"", true);
  }

  private static String field(String text, String regex, boolean isRegex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in %s", regex, text).isTrue();
    return m.group(1);
  }
}
