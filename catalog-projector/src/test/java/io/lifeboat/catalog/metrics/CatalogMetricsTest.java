package io.lifeboat.catalog.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.catalog.query.MetricsSummary;
import io.lifeboat.catalog.topology.CatalogFold;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupStatus;
import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.Envelope;
import io.lifeboat.events.LocationStatus;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RestoreStepSpec;
import io.lifeboat.events.StepStatus;
import io.lifeboat.model.MetricsView;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The metrics' arithmetic, without Kafka: what each event adds, and what the stores sum up to. */
class CatalogMetricsTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicReference<Instant> now = new AtomicReference<>(T0.plusSeconds(60));
  final CatalogMetrics metrics = new CatalogMetrics(registry, now::get);

  static BackupCompleted completed(String id, String name, BackupStatus status, Instant at) {
    return BackupCompleted.newBuilder()
        .setEnvelope(new Envelope("e-" + id, at, id))
        .setBackupId(id)
        .setName(name)
        .setStatus(status)
        .setRequestedAt(at.minusSeconds(9))
        .setStartedAt(at.minusSeconds(8))
        .setCompletedAt(at)
        .setDurationMs(9000)
        .setSizeBytes(1000)
        .setStoredBytes(400)
        .setNewChunks(1)
        .setDedupedChunks(2)
        .setNewBytes(800)
        .setCompressionRatio(2.0)
        .setLocationStatus(
            List.of(
                new LocationStatus("file:///primary/", true, true, 0, null),
                new LocationStatus("s3://alice:pw@bucket/r?sig=x", false, false, 3, null)))
        .build();
  }

  static RecoveryExecution execution(
      String id, RecoveryMode mode, RecoveryStatus status, StepStatus restore) {
    return RecoveryExecution.newBuilder()
        .setEnvelope(new Envelope("e-" + id + status, T0, id))
        .setExecutionId(id)
        .setPlanName("shop")
        .setMode(mode)
        .setStatus(status)
        .setRequestedAt(T0)
        .setCompletedAt(T0.plusSeconds(30))
        .setRtoMs(25_000)
        .setObjectiveRtoMs(600_000)
        .setSteps(
            List.of(
                RecoveryStep.newBuilder()
                    .setStepId("restore:db")
                    .setSpec(
                        new RestoreStepSpec("db", "postgres", "b-1", "x", null, false, 0L, null))
                    .setStatus(restore)
                    .setBytes(5000)
                    .setDurationMs(4000)
                    .build(),
                RecoveryStep.newBuilder()
                    .setStepId("check:rows")
                    .setStatus(StepStatus.SUCCEEDED)
                    .setBytes(0)
                    .build()))
        .build();
  }

  double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void aCompletion_addsItsFigures_once_evenWhenRedelivered() {
    BackupCompleted c = completed("b-1", "nightly", BackupStatus.SUCCESS, T0);
    metrics.onEvent(c);
    metrics.onEvent(c); // at-least-once: the same event again after a crash
    assertThat(counter("lifeboat.backups", "name", "nightly", "status", "SUCCESS")).isEqualTo(1);
    assertThat(counter("lifeboat.backup.read", "name", "nightly")).isEqualTo(1000);
    assertThat(counter("lifeboat.backup.new", "name", "nightly")).isEqualTo(800);
    assertThat(counter("lifeboat.backup.stored", "name", "nightly")).isEqualTo(400);
    assertThat(counter("lifeboat.backup.chunks", "name", "nightly", "kind", "deduplicated"))
        .isEqualTo(2);
    assertThat(registry.get("lifeboat.backup.duration").tags("name", "nightly").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("lifeboat.backup.compression.ratio").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("lifeboat.backup.dedup.ratio").gauge().value()).isEqualTo(1.25);
  }

  @Test
  void theRpo_isTheAgeOfTheNewestSuccess_liveAtEachScrape() {
    metrics.onEvent(completed("b-1", "nightly", BackupStatus.SUCCESS, T0));
    metrics.onEvent(completed("b-2", "nightly", BackupStatus.FAILED, T0.plusSeconds(30)));
    assertThat(registry.get("lifeboat.backup.rpo").tags("name", "nightly").gauge().value())
        .isEqualTo(60.0);
    now.set(T0.plusSeconds(3600));
    assertThat(registry.get("lifeboat.backup.rpo").tags("name", "nightly").gauge().value())
        .isEqualTo(3600.0);
  }

  @Test
  void afterARestart_theRpoComesFromTheStore_beforeAnyNewEvent() {
    CatalogEntry stored =
        CatalogFold.apply(
            "b-1", completed("b-1", "weekly", BackupStatus.SUCCESS, T0), CatalogFold.empty());
    metrics.refresh(List.of(stored));
    assertThat(registry.get("lifeboat.backup.rpo").tags("name", "weekly").gauge().value())
        .isEqualTo(60.0);
    // a replica without the newest backup: how far it lags, labelled without its credentials
    assertThat(
            registry
                .get("lifeboat.replica.missing.chunks")
                .tags("location", "s3://bucket/r")
                .gauge()
                .value())
        .isEqualTo(3.0);
    assertThat(
            registry
                .get("lifeboat.replica.lag")
                .tags("location", "file:///primary/")
                .gauge()
                .value())
        .isEqualTo(0.0);
  }

  @Test
  void aRecovery_countsItsRestores_onceEvenIfRolledBackLater() {
    metrics.onEvent(
        execution("x-1", RecoveryMode.EXECUTE, RecoveryStatus.RUNNING, StepStatus.RUNNING));
    assertThat(registry.find("lifeboat.recoveries").counters()).isEmpty();
    metrics.onEvent(
        execution("x-1", RecoveryMode.EXECUTE, RecoveryStatus.SUCCEEDED, StepStatus.SUCCEEDED));
    metrics.onEvent(
        execution("x-1", RecoveryMode.EXECUTE, RecoveryStatus.ROLLED_BACK, StepStatus.COMPENSATED));
    assertThat(counter("lifeboat.recoveries", "mode", "EXECUTE", "status", "SUCCEEDED"))
        .isEqualTo(1);
    assertThat(counter("lifeboat.recoveries", "mode", "EXECUTE", "status", "ROLLED_BACK"))
        .isEqualTo(1);
    assertThat(counter("lifeboat.restores", "mode", "EXECUTE", "status", "SUCCEEDED")).isEqualTo(1);
    assertThat(counter("lifeboat.restore", "mode", "EXECUTE")).isEqualTo(5000);
    assertThat(registry.get("lifeboat.recovery.rto").tags("plan", "shop").gauge().value())
        .isEqualTo(25.0);
  }

  @Test
  void theSummary_sumsTheStores() {
    CatalogEntry ok =
        CatalogFold.apply(
            "b-1", completed("b-1", "nightly", BackupStatus.SUCCESS, T0), CatalogFold.empty());
    CatalogEntry bad =
        CatalogFold.apply(
            "b-2",
            completed("b-2", "nightly", BackupStatus.FAILED, T0.plusSeconds(30)),
            CatalogFold.empty());
    MetricsView v =
        MetricsSummary.of(
            List.of(ok, bad),
            List.of(
                execution("x-1", RecoveryMode.TEST, RecoveryStatus.SUCCEEDED, StepStatus.SUCCEEDED),
                execution("x-2", RecoveryMode.TEST, RecoveryStatus.FAILED, StepStatus.FAILED),
                execution("x-3", RecoveryMode.TEST, RecoveryStatus.RUNNING, StepStatus.RUNNING)),
            T0.plusSeconds(100));
    assertThat(v.backups().byStatus()).isEqualTo(Map.of("SUCCESS", 1L, "FAILED", 1L));
    assertThat(v.backups().readBytes()).isEqualTo(2000);
    assertThat(v.backups().compressionRatio()).isEqualTo(2.0);
    MetricsView.NameMetrics n = v.backups().names().get(0);
    assertThat(n.backups()).isEqualTo(2);
    assertThat(n.failed()).isEqualTo(1);
    assertThat(n.lastStatus()).isEqualTo("FAILED");
    assertThat(n.rpoSeconds()).isEqualTo(100L);
    assertThat(v.restores().count()).isEqualTo(2);
    assertThat(v.restores().failed()).isEqualTo(1);
    assertThat(v.restores().bytes()).isEqualTo(10_000);
    assertThat(v.recoveries().byModeAndStatus())
        .isEqualTo(Map.of("TEST", Map.of("SUCCEEDED", 1L, "FAILED", 1L)));
  }
}
