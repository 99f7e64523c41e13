package io.lifeboat.recovery.plan;

import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RestoreStepSpec;
import io.lifeboat.events.StepStatus;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How long steps take: restore throughput per component kind, measured from the restore steps of
 * past executions (bytes over duration, for restores of at least a mebibyte), or a conservative
 * default from the benchmarks until there is a measurement.
 */
public final class Estimates {

  /** Defaults in bytes per millisecond (= kB/s): see docs/benchmarks.md. */
  private static final Map<String, Double> DEFAULT_RATE =
      Map.of(
          "files",
          100_000.0,
          "config",
          100_000.0,
          "secrets",
          100_000.0,
          "logs",
          100_000.0,
          "artifacts",
          100_000.0,
          "postgres",
          30_000.0,
          "mysql",
          15_000.0,
          "mariadb",
          15_000.0,
          "redis",
          30_000.0);

  private static final double FALLBACK_RATE = 30_000.0;
  private static final long MIN_MEASURED_BYTES = 1L << 20;

  private final Map<String, long[]> measured = new HashMap<>();

  /** Only defaults. */
  public static Estimates defaults() {
    return new Estimates();
  }

  /** Learns from every succeeded restore step of these executions. */
  public static Estimates from(Iterable<RecoveryExecution> executions) {
    Estimates e = new Estimates();
    for (RecoveryExecution x : executions) {
      e.learn(x);
    }
    return e;
  }

  public void learn(RecoveryExecution execution) {
    for (RecoveryStep s : execution.getSteps()) {
      if (s.getSpec() instanceof RestoreStepSpec restore
          && (s.getStatus() == StepStatus.SUCCEEDED || s.getStatus() == StepStatus.COMPENSATED)) {
        String kind = restore.getKind();
        long overhead = overheadMs(kind);
        if (kind != null && s.getBytes() >= MIN_MEASURED_BYTES && s.getDurationMs() > overhead) {
          long[] sums = measured.computeIfAbsent(kind, k -> new long[3]);
          sums[0] += s.getBytes();
          sums[1] += s.getDurationMs() - overhead;
          sums[2]++;
        }
      }
    }
  }

  /** Bytes per millisecond for a kind. */
  public double rate(String kind) {
    long[] m = measured.get(kind);
    if (m != null && m[1] > 0) {
      return (double) m[0] / m[1];
    }
    return DEFAULT_RATE.getOrDefault(kind, FALLBACK_RATE);
  }

  /** "measured over 3 restores" or "default". */
  public String basis(String kind) {
    long[] m = measured.get(kind);
    return m == null ? "default" : "measured over " + m[2] + " restore" + (m[2] == 1 ? "" : "s");
  }

  public long restoreMs(String kind, long bytes) {
    return overheadMs(kind) + (long) Math.ceil(bytes / rate(kind));
  }

  public long prepareMs(int components) {
    return 500 + 200L * components;
  }

  public long checkMs() {
    return 1_000;
  }

  static long overheadMs(String kind) {
    if (kind == null) {
      return 1_000;
    }
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "postgres", "pgbase", "mysql", "mariadb" -> 1_500;
      case "redis" -> 500;
      default -> 300;
    };
  }
}
