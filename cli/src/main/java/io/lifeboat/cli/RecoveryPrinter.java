package io.lifeboat.cli;

import io.lifeboat.client.RecoveryManager;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryProgress;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoverySteps;
import io.lifeboat.events.StepStatus;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Prints a recovery execution as it goes (a line per step change, and with --follow a progress line
 * per second while data flows) and its summary at the end; and its JSON form.
 */
final class RecoveryPrinter implements RecoveryManager.Listener {

  private final PrintStream out;
  private final boolean progress;
  private final Map<String, StepStatus> seen = new HashMap<>();
  private @Nullable RecoveryStatus status;
  private @Nullable RecoveryExecution last;

  RecoveryPrinter(PrintStream out, boolean progress) {
    this.out = out;
    this.progress = progress;
  }

  @Override
  public void update(RecoveryExecution x) {
    last = x;
    if (x.getStatus() != status) {
      status = x.getStatus();
      out.println(
          "["
              + x.getExecutionId()
              + "] "
              + status.name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + (x.getEstimatedMs() > 0 && status == RecoveryStatus.RUNNING
                  ? " (estimated " + Format.duration(x.getEstimatedMs()) + ")"
                  : ""));
    }
    for (RecoveryStep s : x.getSteps()) {
      StepStatus before = seen.put(s.getStepId(), s.getStatus());
      if (before != s.getStatus() && !(before == null && s.getStatus() == StepStatus.PENDING)) {
        out.println("  " + pad(s.getStatus().name(), 19) + " " + s.getStepId() + detail(s));
      }
    }
    if (x.getNotice() != null && x.getNotice().startsWith("rollback refused")
        || x.getNotice() != null && x.getNotice().startsWith("only a")) {
      out.println("  " + x.getNotice());
    }
  }

  @Override
  public void progress(RecoveryProgress p) {
    if (!progress) {
      return;
    }
    long overall = remainingOverall(p);
    out.println(
        String.format(
            Locale.ROOT,
            "  %-19s %s: %.0f%% (%s of %s)%s%s",
            "...",
            p.getStepId(),
            p.getPercent(),
            Format.bytes(p.getBytesDone()),
            Format.bytes(p.getBytesTotal()),
            p.getStepRemainingMs() >= 0
                ? ", ~" + Format.duration(p.getStepRemainingMs()) + " left in step"
                : "",
            overall >= 0 ? ", ~" + Format.duration(overall) + " left overall" : ""));
  }

  /** Time left: the rest of this step at its rate, plus the estimates of the steps not started. */
  private long remainingOverall(RecoveryProgress p) {
    if (last == null || p.getStepRemainingMs() < 0) {
      return -1;
    }
    long rest = p.getStepRemainingMs();
    for (RecoveryStep s : last.getSteps()) {
      if (s.getStatus() == StepStatus.PENDING) {
        rest += s.getEstimateMs();
      }
    }
    return rest;
  }

  private static String detail(RecoveryStep s) {
    StringBuilder b = new StringBuilder();
    switch (s.getStatus()) {
      case RUNNING -> b.append(": ").append(s.getDescription());
      case SUCCEEDED, FAILED, SKIPPED, COMPENSATED, COMPENSATION_FAILED -> {
        long ms =
            s.getStatus() == StepStatus.COMPENSATED
                    || s.getStatus() == StepStatus.COMPENSATION_FAILED
                ? s.getCompensationMs()
                : s.getDurationMs();
        if (s.getStatus() != StepStatus.SKIPPED) {
          b.append(" (").append(Format.duration(ms)).append(")");
        }
        if (s.getMessage() != null && !s.getMessage().isBlank()) {
          b.append(": ").append(s.getMessage());
        }
      }
      default -> {}
    }
    return b.toString();
  }

  /** The summary after the end. */
  static void summary(RecoveryExecution x, PrintStream out) {
    out.println();
    out.println(
        "execution  "
            + x.getExecutionId()
            + " ("
            + x.getMode()
            + " of plan "
            + x.getPlanName()
            + (x.getEnvironment().isEmpty() ? "" : ", environment " + x.getEnvironment())
            + ")");
    out.println(
        "status     " + x.getStatus() + (x.getReason() == null ? "" : ": " + x.getReason()));
    if (!x.getProblems().isEmpty()) {
      out.println("problems");
      x.getProblems().forEach(p -> out.println("  - " + p));
    }
    if (x.getRtoMs() > 0) {
      out.println(
          "RTO        "
              + Format.duration(x.getRtoMs())
              + " measured"
              + (x.getObjectiveRtoMs() > 0
                  ? ", objective "
                      + Format.duration(x.getObjectiveRtoMs())
                      + (x.getRtoMs() > x.getObjectiveRtoMs() ? " (BREACHED)" : " (met)")
                  : "")
              + (x.getEstimatedMs() > 0
                  ? ", estimated " + Format.duration(x.getEstimatedMs())
                  : ""));
    }
    if (x.getDataAsOf() != null) {
      out.println(
          "RPO        data as of "
              + x.getDataAsOf()
              + ": "
              + Format.duration(x.getRpoMs())
              + " before the request"
              + (x.getObjectiveRpoMs() > 0
                  ? ", objective "
                      + Format.duration(x.getObjectiveRpoMs())
                      + (x.getRpoMs() > x.getObjectiveRpoMs() ? " (BREACHED)" : " (met)")
                  : ""));
    }
    if (x.getStatus() == RecoveryStatus.FAILED || x.getStatus() == RecoveryStatus.ROLLED_BACK) {
      out.println(
          "rolled back "
              + (x.getRolledBack() ? "yes: every target is as it was" : "NO: see the steps"));
    }
    out.println("steps");
    for (RecoveryStep s : x.getSteps()) {
      out.println(
          "  "
              + pad(s.getStatus().name(), 19)
              + " "
              + pad(s.getStepId(), 28)
              + pad(s.getDurationMs() > 0 ? Format.duration(s.getDurationMs()) : "", 9)
              + (s.getMessage() == null ? "" : " " + s.getMessage()));
    }
  }

  /** The JSON form: everything users need, none of the saga's internals or step parameters. */
  static Map<String, Object> json(RecoveryExecution x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("executionId", x.getExecutionId());
    m.put("planName", x.getPlanName());
    m.put("environment", x.getEnvironment());
    m.put("mode", x.getMode().name());
    m.put("status", x.getStatus().name());
    m.put("reason", x.getReason());
    m.put("problems", List.copyOf(x.getProblems()));
    m.put("notice", x.getNotice());
    m.put("at", x.getAt() == null ? null : x.getAt().toString());
    m.put("backupId", x.getBackupId());
    m.put("requestedAt", x.getRequestedAt().toString());
    m.put("completedAt", x.getCompletedAt() == null ? null : x.getCompletedAt().toString());
    m.put("rtoMs", x.getRtoMs());
    m.put("dataAsOf", x.getDataAsOf() == null ? null : x.getDataAsOf().toString());
    m.put("rpoMs", x.getRpoMs());
    m.put("objectiveRpoMs", x.getObjectiveRpoMs());
    m.put("objectiveRtoMs", x.getObjectiveRtoMs());
    m.put("estimatedMs", x.getEstimatedMs());
    m.put("rolledBack", x.getRolledBack());
    m.put(
        "steps",
        x.getSteps().stream()
            .map(
                s -> {
                  Map<String, Object> v = new LinkedHashMap<>();
                  v.put("stepId", s.getStepId());
                  v.put("kind", RecoverySteps.kind(s));
                  v.put("component", s.getComponent());
                  v.put("description", s.getDescription());
                  v.put("dependsOn", List.copyOf(s.getDependsOn()));
                  v.put("status", s.getStatus().name());
                  v.put("durationMs", s.getDurationMs());
                  v.put("compensationMs", s.getCompensationMs());
                  v.put("estimateMs", s.getEstimateMs());
                  v.put("bytes", s.getBytes());
                  v.put("message", s.getMessage());
                  return v;
                })
            .toList());
    return m;
  }

  static int exitCode(RecoveryExecution x) {
    if (x == null || !RecoveryManager.isFinal(x.getStatus())) {
      return ExitCodes.TIMED_OUT;
    }
    return switch (x.getStatus()) {
      case SUCCEEDED, ROLLED_BACK -> ExitCodes.OK;
      case INVALID -> ExitCodes.REJECTED;
      default -> ExitCodes.FAILED;
    };
  }

  private static String pad(String s, int n) {
    return s.length() >= n ? s : s + " ".repeat(n - s.length());
  }
}
