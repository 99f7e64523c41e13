package io.lifeboat.catalog.query;

import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RestoreStepSpec;
import io.lifeboat.events.StepStatus;
import io.lifeboat.model.MetricsView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures of {@code GET /api/metrics}, computed from the catalog's entries and recovery
 * executions: a pure function, so the same stores always give the same summary.
 */
public final class MetricsSummary {

  /** A backup that ended: it has figures. */
  static final Set<String> FINISHED = Set.of("SUCCESS", "PARTIAL", "FAILED", "REJECTED");

  static final Set<String> NOT_SUCCESSFUL = Set.of("PARTIAL", "FAILED", "REJECTED");

  private MetricsSummary() {}

  public static MetricsView of(
      Collection<CatalogEntry> entries, Collection<RecoveryExecution> executions, Instant now) {
    return new MetricsView(
        now, backups(entries, now), restores(executions), recoveries(executions));
  }

  static MetricsView.BackupMetrics backups(Collection<CatalogEntry> entries, Instant now) {
    Map<String, Long> byStatus = new TreeMap<>();
    long read = 0;
    long fresh = 0;
    long stored = 0;
    long newChunks = 0;
    long deduped = 0;
    long durations = 0;
    long finished = 0;
    Map<String, List<CatalogEntry>> byName = new TreeMap<>();
    for (CatalogEntry e : entries) {
      byStatus.merge(e.getStatus(), 1L, Long::sum);
      if (!FINISHED.contains(e.getStatus())) {
        continue;
      }
      finished++;
      read += e.getSizeBytes();
      fresh += e.getNewBytes();
      stored += e.getStoredBytes();
      newChunks += e.getNewChunks();
      deduped += e.getDedupedChunks();
      durations += e.getDurationMs();
      if (e.getName() != null && !e.getName().isEmpty()) {
        byName.computeIfAbsent(e.getName(), n -> new ArrayList<>()).add(e);
      }
    }
    List<MetricsView.NameMetrics> names = new ArrayList<>();
    byName.forEach((name, list) -> names.add(name(name, list, now)));
    return new MetricsView.BackupMetrics(
        byStatus,
        read,
        fresh,
        stored,
        newChunks,
        deduped,
        fresh == 0 ? 1.0 : (double) read / fresh,
        stored == 0 ? 1.0 : (double) fresh / stored,
        finished == 0 ? 0 : durations / finished,
        names);
  }

  private static MetricsView.NameMetrics name(String name, List<CatalogEntry> list, Instant now) {
    CatalogEntry newest = null;
    CatalogEntry newestSuccess = null;
    long failed = 0;
    for (CatalogEntry e : list) {
      if (NOT_SUCCESSFUL.contains(e.getStatus())) {
        failed++;
      }
      if (newest == null || ended(e).isAfter(ended(newest))) {
        newest = e;
      }
      if ("SUCCESS".equals(e.getStatus())
          && (newestSuccess == null || ended(e).isAfter(ended(newestSuccess)))) {
        newestSuccess = e;
      }
    }
    Instant lastSuccess = newestSuccess == null ? null : newestSuccess.getCompletedAt();
    return new MetricsView.NameMetrics(
        name,
        list.size(),
        failed,
        newest == null ? "UNKNOWN" : newest.getStatus(),
        lastSuccess,
        lastSuccess == null ? null : Math.max(0, Duration.between(lastSuccess, now).toSeconds()),
        newestSuccess == null ? 0 : newestSuccess.getSizeBytes(),
        newestSuccess == null ? 0 : newestSuccess.getDurationMs());
  }

  private static Instant ended(CatalogEntry e) {
    Instant at = e.getCompletedAt() != null ? e.getCompletedAt() : e.getRequestedAt();
    return at != null ? at : e.getUpdatedAt();
  }

  /** Whether a recovery execution reached a final status. */
  public static boolean isFinal(RecoveryExecution x) {
    return switch (x.getStatus()) {
      case SUCCEEDED, INVALID, FAILED, ROLLED_BACK -> true;
      default -> false;
    };
  }

  /** Whether a step restores a backup (as opposed to preparing or checking). */
  public static boolean isRestore(RecoveryStep step) {
    return step.getSpec() instanceof RestoreStepSpec;
  }

  /** Whether a restore step ended, and how: it ran and succeeded, or it failed. */
  public static boolean restoreEnded(RecoveryStep step) {
    return restoreSucceeded(step) || step.getStatus() == StepStatus.FAILED;
  }

  /** A step that ran to its end, even if it was compensated (undone) later. */
  public static boolean restoreSucceeded(RecoveryStep step) {
    return switch (step.getStatus()) {
      case SUCCEEDED, COMPENSATING, COMPENSATED, COMPENSATION_FAILED -> true;
      default -> false;
    };
  }

  static MetricsView.RestoreMetrics restores(Collection<RecoveryExecution> executions) {
    long count = 0;
    long ok = 0;
    long failed = 0;
    long bytes = 0;
    long durations = 0;
    for (RecoveryExecution x : executions) {
      if (!isFinal(x)) {
        continue;
      }
      for (RecoveryStep s : x.getSteps()) {
        if (!isRestore(s) || !restoreEnded(s)) {
          continue;
        }
        count++;
        if (restoreSucceeded(s)) {
          ok++;
        } else {
          failed++;
        }
        bytes += s.getBytes();
        durations += s.getDurationMs();
      }
    }
    return new MetricsView.RestoreMetrics(
        count, ok, failed, bytes, count == 0 ? 0 : durations / count);
  }

  static MetricsView.RecoveryMetrics recoveries(Collection<RecoveryExecution> executions) {
    Map<String, Map<String, Long>> byModeAndStatus = new TreeMap<>();
    Map<String, RecoveryExecution> lastByPlan = new TreeMap<>();
    for (RecoveryExecution x : executions) {
      if (!isFinal(x)) {
        continue;
      }
      byModeAndStatus
          .computeIfAbsent(x.getMode().name(), m -> new TreeMap<>())
          .merge(x.getStatus().name(), 1L, Long::sum);
      if (x.getMode() == RecoveryMode.EXECUTE || x.getMode() == RecoveryMode.TEST) {
        lastByPlan.merge(x.getPlanName(), x, (a, b) -> completed(a).isAfter(completed(b)) ? a : b);
      }
    }
    List<MetricsView.PlanMetrics> plans = new ArrayList<>();
    lastByPlan.forEach(
        (plan, x) ->
            plans.add(
                new MetricsView.PlanMetrics(
                    plan,
                    x.getMode().name(),
                    x.getStatus().name(),
                    x.getRtoMs(),
                    x.getObjectiveRtoMs(),
                    x.getRpoMs(),
                    x.getCompletedAt())));
    return new MetricsView.RecoveryMetrics(byModeAndStatus, plans);
  }

  private static Instant completed(RecoveryExecution x) {
    return x.getCompletedAt() != null ? x.getCompletedAt() : x.getRequestedAt();
  }
}
