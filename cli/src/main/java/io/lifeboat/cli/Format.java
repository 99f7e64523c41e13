package io.lifeboat.cli;

import io.lifeboat.core.Sizes;
import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, durations and rates for command output. */
final class Format {

  private Format() {}

  static String bytes(long n) {
    return Sizes.human(n);
  }

  static String duration(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 120_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    Duration d = Duration.ofMillis(millis);
    return d.toHours() > 0
        ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
        : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }

  /** MB/s (10^6 bytes per second), the unit the benchmarks report. */
  static String rate(long bytes, long millis) {
    if (millis <= 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1f MB/s", bytes / 1e6 / (millis / 1000.0));
  }
}
