package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.MetricsView;
import io.lifeboat.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a team's Prometheus and a Java program see of a running {@code lifeboat up}: after a backup,
 * a failed backup and a recovery test (which restores), {@code /actuator/prometheus} has the series
 * with the figures of those runs (bytes equal to the backup's own figures), {@code /api/metrics}
 * and the Java client give the same summary, and every metric that the shipped Prometheus rules and
 * Grafana dashboard use exists in the scrape.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class MetricsIT {

  static final String RUN = "lbmet_" + UUID.randomUUID().toString().substring(0, 8);
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static RunningLifeboat up;
  static Path repoDir;
  static String api;
  static JsonNode backup;
  static JsonNode failed;
  static JsonNode test;

  @BeforeAll
  static void start() throws Exception {
    up = RunningLifeboat.start(RUN, Map.of("lifeboat.catalog.gauge-refresh", "2s"));
    repoDir = up.repoDir;
    api = up.api;

    Path source = Files.createTempDirectory("lifeboat-metrics-src").resolve("app");
    Files.createDirectories(source.resolve("conf"));
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      byte[] data = new byte[20_000 + i * 1_000];
      random.nextBytes(data);
      Files.write(source.resolve("conf/file-" + i + ".bin"), data);
    }
    Files.writeString(source.resolve("conf/app.yaml"), "port: 8443\n".repeat(500));

    backup = json(cli("backup", "config:" + source, "--name", "app-" + RUN, "--wait", "--json"));
    assertThat(backup.get("status").asString()).isEqualTo("SUCCESS");

    // nothing listens on port 1: the backup cannot dump its one component
    Cli.Result bad =
        Cli.run(cli("backup", "redis://127.0.0.1:1", "--name", "bad-" + RUN, "--wait", "--json"));
    failed = JSON.readTree(lastLine(bad));
    assertThat(failed.get("status").asString()).isIn("FAILED", "REJECTED");

    Path plan = up.home.resolve("plan.yaml");
    Files.writeString(
        plan,
        """
        name: app-%s
        from: app-%s
        rto: 10m
        components:
          - name: config
            target: %s
        """
            .formatted(
                RUN, RUN, Files.createTempDirectory("lifeboat-restore").resolve("restored")));
    Cli.Result created = Cli.run(cli("plan", "create", plan.toString()));
    assertThat(created.exit()).as(created.out() + created.err()).isZero();
    test = json(cli("plan", "test", "app-" + RUN, "--json", "--timeout", "PT4M"));
    assertThat(test.get("status").asString()).isEqualTo("SUCCEEDED");
  }

  @AfterAll
  static void stop() {
    if (up != null) {
      up.close();
    }
  }

  static String[] cli(String... args) {
    return up.cli(args);
  }

  static JsonNode json(String[] args) {
    Cli.Result r = Cli.run(args);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    return JSON.readTree(lastLine(r));
  }

  static String lastLine(Cli.Result r) {
    assertThat(r.out()).as(r.err()).isNotBlank();
    return r.out().lines().reduce((a, b) -> b).orElseThrow();
  }

  static String get(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(api + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  /** One scrape: series (name and labels as written) to value. */
  static Map<String, Double> scrape() throws Exception {
    Map<String, Double> series = new HashMap<>();
    for (String line : get("/actuator/prometheus").lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return series;
  }

  /** The value of the one series with this name whose labels include all of {@code labels}. */
  static double value(Map<String, Double> scrape, String name, Map<String, String> labels) {
    List<Double> found = new ArrayList<>();
    scrape.forEach(
        (series, v) -> {
          if (!series.equals(name) && !series.startsWith(name + "{")) {
            return;
          }
          for (Map.Entry<String, String> l : labels.entrySet()) {
            if (!series.contains(l.getKey() + "=\"" + l.getValue() + "\"")) {
              return;
            }
          }
          found.add(v);
        });
    assertThat(found).as(name + labels + " in the scrape").hasSize(1);
    return found.get(0);
  }

  static Set<String> names(Map<String, Double> scrape) {
    Set<String> out = new TreeSet<>();
    scrape.keySet().forEach(s -> out.add(s.contains("{") ? s.substring(0, s.indexOf('{')) : s));
    return out;
  }

  /** The scrape once the catalog has counted the recovery test (it projects asynchronously). */
  static Map<String, Double> scrapeAfterTheTest() {
    return Eventually.await(
        "the recovery test counted, and the state gauges refreshed, in /actuator/prometheus",
        MetricsIT::scrape,
        s ->
            s.keySet().stream().anyMatch(k -> k.startsWith("lifeboat_recoveries_total{"))
                && s.keySet().stream()
                    .anyMatch(k -> k.startsWith("lifeboat_replica_lag_seconds{")));
  }

  @Test
  void prometheus_hasTheBackupsFigures_perName() throws Exception {
    Map<String, Double> s = scrapeAfterTheTest();
    Map<String, String> app = Map.of("name", "app-" + RUN);
    assertThat(
            value(s, "lifeboat_backups_total", Map.of("name", "app-" + RUN, "status", "SUCCESS")))
        .isEqualTo(1.0);
    assertThat(value(s, "lifeboat_backup_read_bytes_total", app))
        .isEqualTo(backup.get("sizeBytes").asDouble());
    assertThat(value(s, "lifeboat_backup_new_bytes_total", app))
        .isEqualTo(backup.get("newBytes").asDouble());
    assertThat(value(s, "lifeboat_backup_stored_bytes_total", app))
        .isEqualTo(backup.get("storedBytes").asDouble())
        .isPositive();
    assertThat(
            value(s, "lifeboat_backup_chunks_total", Map.of("name", "app-" + RUN, "kind", "new")))
        .isEqualTo(backup.get("newChunks").asDouble());
    assertThat(value(s, "lifeboat_backup_duration_seconds_sum", app))
        .isEqualTo(backup.get("durationMs").asDouble() / 1000.0);
    assertThat(value(s, "lifeboat_backup_compression_ratio", app))
        .isEqualTo(backup.get("compressionRatio").asDouble());
    // the live RPO: the newest successful backup's age, a few seconds to minutes here
    assertThat(value(s, "lifeboat_backup_rpo_seconds", app)).isBetween(0.0, 600.0);
    // the failed backup is counted with its own status, and no RPO exists for its name
    assertThat(
            value(
                s,
                "lifeboat_backups_total",
                Map.of("name", "bad-" + RUN, "status", failed.get("status").asString())))
        .isEqualTo(1.0);
    assertThat(s.keySet())
        .noneMatch(k -> k.startsWith("lifeboat_backup_rpo_seconds{") && k.contains("bad-" + RUN));
    // the verify stage of this process verified this run's backup (and whatever an earlier test on
    // the shared broker left for it)
    assertThat(value(s, "lifeboat_verifications_total", Map.of("status", "SUCCESS")))
        .isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void prometheus_hasTheRecoveryTest_itsRestoreAndItsRto() throws Exception {
    Map<String, Double> s = scrapeAfterTheTest();
    String plan = "app-" + RUN;
    assertThat(
            value(
                s,
                "lifeboat_recoveries_total",
                Map.of("plan", plan, "mode", "TEST", "status", "SUCCEEDED")))
        .isEqualTo(1.0);
    long restoredBytes = 0;
    long restoreSteps = 0;
    for (JsonNode step : test.get("steps")) {
      if (step.get("stepId").asString().startsWith("restore:")) {
        restoredBytes += step.get("bytes").asLong();
        restoreSteps++;
      }
    }
    assertThat(restoreSteps).isEqualTo(1);
    assertThat(restoredBytes).isPositive();
    assertThat(
            value(
                s,
                "lifeboat_restores_total",
                Map.of("plan", plan, "mode", "TEST", "status", "SUCCEEDED")))
        .isEqualTo(1.0);
    assertThat(value(s, "lifeboat_restore_bytes_total", Map.of("plan", plan, "mode", "TEST")))
        .isEqualTo((double) restoredBytes);
    assertThat(value(s, "lifeboat_recovery_rto_seconds", Map.of("plan", plan, "mode", "TEST")))
        .isEqualTo(test.get("rtoMs").asDouble() / 1000.0)
        .isPositive();
    assertThat(
            value(
                s, "lifeboat_recovery_rto_objective_seconds", Map.of("plan", plan, "mode", "TEST")))
        .isEqualTo(600.0);
  }

  @Test
  void prometheus_hasStorageAndStageSeries() throws Exception {
    Map<String, Double> s = scrapeAfterTheTest();
    Map<String, String> primary = Map.of("location", repoDir.toUri().toString());
    assertThat(value(s, "lifeboat_storage_written_bytes_total", primary))
        .isGreaterThanOrEqualTo(backup.get("storedBytes").asDouble());
    assertThat(
            value(
                s,
                "lifeboat_storage_operation_seconds_count",
                Map.of(
                    "location", repoDir.toUri().toString(), "operation", "put", "outcome", "ok")))
        .isPositive();
    // the consumers' own metrics, per stage (consumer group): throughput and lag
    assertThat(names(s))
        .contains(
            "kafka_consumer_fetch_manager_records_consumed_total",
            "kafka_consumer_fetch_manager_records_lag_max");
    assertThat(s.keySet())
        .anyMatch(
            k ->
                k.startsWith("kafka_consumer_fetch_manager_records_consumed_total{")
                    && k.contains("stage=\"lifeboat-stage-seal\""));
    // no credential or key material in any label
    assertThat(String.join("\n", s.keySet())).doesNotContain("password").doesNotContain("secret");
  }

  @Test
  void apiMetrics_andTheJavaClient_giveTheSameSummary() throws Exception {
    // the catalog reads the shared topics from their start: other tests' backups and recoveries
    // are in the totals too, so this run's are checked by name and plan, and the totals as sums
    CatalogClient client = new CatalogClient(api);
    MetricsView.PlanMetrics plan =
        Eventually.await(
            "this run's recovery test in /api/metrics",
            () ->
                client.getRecoveryMetrics().plans().stream()
                    .filter(p -> p.plan().equals("app-" + RUN))
                    .findFirst()
                    .orElse(null),
            p -> p != null);
    assertThat(plan.lastMode()).isEqualTo("TEST");
    assertThat(plan.lastStatus()).isEqualTo("SUCCEEDED");
    assertThat(plan.lastRtoMs()).isEqualTo(test.get("rtoMs").asLong());
    assertThat(plan.objectiveRtoMs()).isEqualTo(600_000L);

    MetricsView.BackupMetrics b = client.getBackupMetrics();
    MetricsView.NameMetrics app =
        b.names().stream().filter(n -> n.name().equals("app-" + RUN)).findFirst().orElseThrow();
    assertThat(app.backups()).isEqualTo(1);
    assertThat(app.failed()).isZero();
    assertThat(app.lastStatus()).isEqualTo("SUCCESS");
    assertThat(app.lastSizeBytes()).isEqualTo(backup.get("sizeBytes").asLong());
    assertThat(app.lastDurationMs()).isEqualTo(backup.get("durationMs").asLong());
    assertThat(app.rpoSeconds()).isNotNull().isBetween(0L, 600L);
    MetricsView.NameMetrics bad =
        b.names().stream().filter(n -> n.name().equals("bad-" + RUN)).findFirst().orElseThrow();
    assertThat(bad.failed()).isEqualTo(1);
    assertThat(bad.rpoSeconds()).isNull();
    // the totals include this run's backup (their arithmetic is CatalogMetricsTest's)
    assertThat(b.readBytes()).isGreaterThanOrEqualTo(backup.get("sizeBytes").asLong());
    assertThat(b.byStatus().get("SUCCESS")).isGreaterThanOrEqualTo(1L);
    assertThat(b.storedBytes()).isGreaterThanOrEqualTo(backup.get("storedBytes").asLong());

    MetricsView.RestoreMetrics r = client.getRestoreMetrics();
    assertThat(r.count()).isGreaterThanOrEqualTo(1);
    assertThat(r.succeeded()).isGreaterThanOrEqualTo(1);
    assertThat(r.bytes()).isPositive();
    assertThat(client.getRecoveryMetrics().byModeAndStatus().get("TEST").get("SUCCEEDED"))
        .isGreaterThanOrEqualTo(1L);
  }

  @Test
  void everyMetricTheShippedRulesAndDashboardUse_exists() throws Exception {
    Set<String> scraped = names(scrapeAfterTheTest());
    Path deploy = Path.of(System.getProperty("lifeboat.project.dir", "..")).resolve("deploy");
    Pattern metric = Pattern.compile("\\b((?:lifeboat|kafka)_[a-z0-9_]+)");
    Set<String> used = new TreeSet<>();
    for (Path file :
        List.of(
            deploy.resolve("prometheus/lifeboat-alerts.yml"),
            deploy.resolve("grafana/lifeboat-dashboard.json"))) {
      Matcher m = metric.matcher(Files.readString(file));
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    assertThat(used).hasSizeGreaterThan(15);
    List<String> missing = used.stream().filter(n -> !scraped.contains(n)).toList();
    assertThat(missing).as("metrics used by deploy/ but absent from the scrape").isEmpty();
  }

  @Test
  void readiness_includesKafkaAndTheStorage() throws Exception {
    JsonNode health = JSON.readTree(get("/actuator/health/readiness"));
    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(health.get("components").get("kafka").get("status").asString()).isEqualTo("UP");
    assertThat(health.get("components").get("storage").get("status").asString()).isEqualTo("UP");
  }
}
