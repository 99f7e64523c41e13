package io.lifeboat.catalog.metrics;

import io.lifeboat.catalog.query.MetricsSummary;
import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.LocationStatus;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryStep;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;

/**
 * The catalog's Prometheus series ({@code /actuator/prometheus}), in two kinds:
 *
 * <ul>
 *   <li>counters and timers fed by the events the catalog projects, as it projects them ({@link
 *       #onEvent}): backups by name, type and status, their bytes and chunks, restores and
 *       recoveries as their executions end, alerts by kind. Like any process counter they start at
 *       zero when the process starts; Prometheus' {@code rate()} and {@code increase()} handle
 *       that.
 *   <li>gauges of state, refreshed from the catalog's stores ({@link #refresh}): the live RPO of
 *       each backup name (the age of its newest successful backup, computed when scraped), the last
 *       measured RTO of each plan, and how far each replica lags behind the primary.
 * </ul>
 *
 * Names follow Prometheus conventions once Micrometer renders them: {@code lifeboat_backups_total},
 * {@code lifeboat_backup_read_bytes_total}, {@code lifeboat_backup_duration_seconds}, {@code
 * lifeboat_backup_rpo_seconds}, ... (the full list is in docs/operations.md).
 */
public final class CatalogMetrics {

  /** How many events' ids are remembered to count an event redelivered after a crash once. */
  private static final int REMEMBERED = 10_000;

  private final MeterRegistry registry;
  private final Supplier<Instant> clock;
  private final Set<String> counted = Collections.newSetFromMap(lru());
  private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
  private final Map<String, double[]> lastRatios = new ConcurrentHashMap<>();
  private final Map<String, double[]> lastRto = new ConcurrentHashMap<>();
  private final Map<String, double[]> replicaLag = new ConcurrentHashMap<>();
  private final Set<String> rpoGauges = ConcurrentHashMap.newKeySet();

  /** Alert kinds counted from zero, so that {@code increase()} sees their first occurrence. */
  static final java.util.List<String> KNOWN_ALERTS =
      java.util.List.of(
          "backup.failed",
          "backup.partial",
          "backup.corrupted",
          "backup.rpo-breached",
          "storage.write-failed",
          "storage.chunk-damaged",
          "replica.unreachable",
          "replica.behind",
          "recovery.failed",
          "recovery.test-failed",
          "recovery.rto-breached",
          "recovery.rpo-breached",
          "recovery.compensation-failed");

  public CatalogMetrics(MeterRegistry registry, Supplier<Instant> clock) {
    this.registry = registry;
    this.clock = clock;
    KNOWN_ALERTS.forEach(this::alerts);
  }

  private Counter alerts(String kind) {
    return Counter.builder("lifeboat.alerts")
        .description("Alerts published, by kind (see docs/operations.md for each kind)")
        .tag("kind", kind)
        .register(registry);
  }

  private static <K> Map<K, Boolean> lru() {
    return Collections.synchronizedMap(
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, Boolean> eldest) {
            return size() > REMEMBERED;
          }
        });
  }

  /** Counts one projected event (any kind; those without figures are ignored). */
  public void onEvent(SpecificRecord event) {
    if (event instanceof BackupCompleted c) {
      completed(c);
    } else if (event instanceof BackupRejected r) {
      if (counted.add("rejected:" + r.getBackupId())) {
        backups(r.getName().isEmpty() ? "unknown" : r.getName(), "UNKNOWN", "REJECTED").increment();
      }
    } else if (event instanceof RecoveryExecution x) {
      execution(x);
    } else if (event instanceof Alert a) {
      if (counted.add("alert:" + a.getEnvelope().getEventId())) {
        alerts(a.getKind()).increment();
      }
    }
  }

  private void completed(BackupCompleted c) {
    if (!counted.add("completed:" + c.getBackupId())) {
      return;
    }
    String name = c.getName();
    backups(name, c.getType().name(), c.getStatus().name()).increment();
    Timer.builder("lifeboat.backup.duration")
        .description("Backups from request to completion")
        .tag("name", name)
        .tag("status", c.getStatus().name())
        .register(registry)
        .record(Duration.ofMillis(c.getDurationMs()));
    bytes("lifeboat.backup.read", "Plaintext bytes of the backed-up components", name)
        .increment(c.getSizeBytes());
    bytes("lifeboat.backup.new", "Plaintext bytes of the chunks backups added", name)
        .increment(c.getNewBytes());
    bytes("lifeboat.backup.stored", "Bytes backups added to storage", name)
        .increment(c.getStoredBytes());
    chunks(name, "new").increment(c.getNewChunks());
    chunks(name, "deduplicated").increment(c.getDedupedChunks());
    if ("SUCCESS".equals(c.getStatus().name())) {
      lastSuccess.merge(name, c.getCompletedAt(), (a, b) -> a.isAfter(b) ? a : b);
      rpoGauge(name);
      double dedup = c.getNewBytes() == 0 ? 0 : (double) c.getSizeBytes() / c.getNewBytes();
      double[] ratios =
          lastRatios.computeIfAbsent(
              name,
              n -> {
                double[] holder = new double[2];
                Gauge.builder("lifeboat.backup.dedup.ratio", holder, h -> h[0])
                    .description(
                        "Plaintext read / new bytes of the newest successful backup"
                            + " (0 when it added nothing)")
                    .tag("name", n)
                    .register(registry);
                Gauge.builder("lifeboat.backup.compression.ratio", holder, h -> h[1])
                    .description("New plaintext / stored bytes of the newest successful backup")
                    .tag("name", n)
                    .register(registry);
                return holder;
              });
      ratios[0] = dedup;
      ratios[1] = c.getCompressionRatio();
    }
  }

  private void execution(RecoveryExecution x) {
    if (!MetricsSummary.isFinal(x)
        || !counted.add("execution:" + x.getExecutionId() + ":" + x.getStatus())) {
      return;
    }
    Counter.builder("lifeboat.recoveries")
        .description("Recovery executions that ended, by plan, mode and status")
        .tag("plan", x.getPlanName())
        .tag("mode", x.getMode().name())
        .tag("status", x.getStatus().name())
        .register(registry)
        .increment();
    if (x.getStatus() == io.lifeboat.events.RecoveryStatus.ROLLED_BACK) {
      return; // its restores were counted when it first ended
    }
    for (RecoveryStep s : x.getSteps()) {
      if (!MetricsSummary.isRestore(s) || !MetricsSummary.restoreEnded(s)) {
        continue;
      }
      String status = MetricsSummary.restoreSucceeded(s) ? "SUCCEEDED" : "FAILED";
      Counter.builder("lifeboat.restores")
          .description("Restores run by recovery executions, by plan, mode and status")
          .tag("plan", x.getPlanName())
          .tag("mode", x.getMode().name())
          .tag("status", status)
          .register(registry)
          .increment();
      Counter.builder("lifeboat.restore")
          .baseUnit("bytes")
          .description("Bytes restored by recovery executions")
          .tag("plan", x.getPlanName())
          .tag("mode", x.getMode().name())
          .register(registry)
          .increment(s.getBytes());
      Timer.builder("lifeboat.restore.duration")
          .description("Restore steps of recovery executions")
          .tag("plan", x.getPlanName())
          .tag("mode", x.getMode().name())
          .tag("status", status)
          .register(registry)
          .record(Duration.ofMillis(s.getDurationMs()));
    }
    if (x.getRtoMs() > 0) {
      double[] rto =
          lastRto.computeIfAbsent(
              x.getPlanName() + "\u0000" + x.getMode().name(),
              k -> {
                double[] holder = new double[2];
                Gauge.builder("lifeboat.recovery.rto", holder, h -> h[0])
                    .baseUnit("seconds")
                    .description("Measured RTO of the plan's newest recovery or test")
                    .tag("plan", x.getPlanName())
                    .tag("mode", x.getMode().name())
                    .register(registry);
                Gauge.builder("lifeboat.recovery.rto.objective", holder, h -> h[1])
                    .baseUnit("seconds")
                    .description("The plan's RTO objective (0: none)")
                    .tag("plan", x.getPlanName())
                    .tag("mode", x.getMode().name())
                    .register(registry);
                return holder;
              });
      rto[0] = x.getRtoMs() / 1000.0;
      rto[1] = x.getObjectiveRtoMs() / 1000.0;
    }
  }

  /**
   * Brings the state gauges up to date with the catalog's stores: the newest successful backup of
   * every name (for the RPO, which is also right after a restart, before any new event) and the lag
   * of every replica location.
   */
  public void refresh(Collection<CatalogEntry> entries) {
    Map<String, Instant> newestOk = new HashMap<>();
    Instant newestAnywhere = null;
    Map<String, @Nullable Instant> newestPerLocation = new HashMap<>();
    Map<String, Long> missingPerLocation = new HashMap<>();
    CatalogEntry newest = null;
    for (CatalogEntry e : entries) {
      Instant at = e.getCompletedAt();
      if (!"SUCCESS".equals(e.getStatus()) || at == null || e.getName() == null) {
        continue;
      }
      newestOk.merge(e.getName(), at, (a, b) -> a.isAfter(b) ? a : b);
      if (newestAnywhere == null || at.isAfter(newestAnywhere)) {
        newestAnywhere = at;
        newest = e;
      }
      for (LocationStatus l : e.getLocationStatus()) {
        newestPerLocation.putIfAbsent(l.getLocation(), null);
        if (l.getComplete()) {
          newestPerLocation.merge(l.getLocation(), at, (a, b) -> a.isAfter(b) ? a : b);
        }
      }
    }
    newestOk.forEach(
        (name, at) -> {
          lastSuccess.merge(name, at, (a, b) -> a.isAfter(b) ? a : b);
          rpoGauge(name);
        });
    if (newest != null) {
      for (LocationStatus l : newest.getLocationStatus()) {
        missingPerLocation.put(l.getLocation(), (long) l.getMissingChunks());
      }
    }
    for (Map.Entry<String, @Nullable Instant> l : newestPerLocation.entrySet()) {
      String location = io.lifeboat.core.provider.Redact.location(l.getKey());
      double[] lag =
          replicaLag.computeIfAbsent(
              location,
              k -> {
                double[] holder = new double[2];
                Gauge.builder("lifeboat.replica.lag", holder, h -> h[0])
                    .baseUnit("seconds")
                    .description(
                        "How much older the newest backup complete at a location is than the"
                            + " newest backup (0: up to date)")
                    .tag("location", k)
                    .register(registry);
                Gauge.builder("lifeboat.replica.missing.chunks", holder, h -> h[1])
                    .description("Chunks of the newest backup a location lacks")
                    .tag("location", k)
                    .register(registry);
                return holder;
              });
      Instant complete = l.getValue();
      lag[0] =
          complete == null || newestAnywhere == null
              ? Double.NaN
              : Duration.between(complete, newestAnywhere).toMillis() / 1000.0;
      lag[1] = missingPerLocation.getOrDefault(l.getKey(), 0L);
    }
  }

  private void rpoGauge(String name) {
    if (!rpoGauges.add(name)) {
      return; // registered already (Micrometer warns about a second registration)
    }
    Gauge.builder("lifeboat.backup.rpo", lastSuccess, m -> age(m.get(name)))
        .baseUnit("seconds")
        .description("Age of the newest successful backup of a name: the RPO achieved now")
        .tag("name", name)
        .register(registry);
    Gauge.builder(
            "lifeboat.backup.last.success.timestamp",
            lastSuccess,
            m -> {
              Instant at = m.get(name);
              return at == null ? Double.NaN : at.toEpochMilli() / 1000.0;
            })
        .baseUnit("seconds")
        .description("When the newest successful backup of a name completed (Unix time)")
        .tag("name", name)
        .register(registry);
  }

  private double age(@Nullable Instant at) {
    return at == null ? Double.NaN : Duration.between(at, clock.get()).toMillis() / 1000.0;
  }

  private Counter backups(String name, String type, String status) {
    return Counter.builder("lifeboat.backups")
        .description("Backups that ended, by name, type and status")
        .tag("name", name)
        .tag("type", type)
        .tag("status", status)
        .register(registry);
  }

  private Counter bytes(String meter, String description, String name) {
    return Counter.builder(meter)
        .baseUnit("bytes")
        .description(description)
        .tag("name", name)
        .register(registry);
  }

  private Counter chunks(String name, String kind) {
    return Counter.builder("lifeboat.backup.chunks")
        .description("Chunks of finished backups: new ones stored, or deduplicated")
        .tag("name", name)
        .tag("kind", kind)
        .register(registry);
  }
}
