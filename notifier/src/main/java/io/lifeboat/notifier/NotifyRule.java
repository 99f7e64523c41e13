package io.lifeboat.notifier;

import java.util.List;

/**
 * Which notifications go to which channels.
 *
 * @param events kinds, exact ({@code backup.failed}) or with a trailing wildcard ({@code backup.*},
 *     {@code *})
 * @param channels channel names
 */
public record NotifyRule(List<String> events, List<String> channels) {

  /** What a rule selects when none is configured: every problem, no success. */
  public static final List<String> PROBLEMS =
      List.of(
          "backup.failed",
          "backup.rejected",
          "backup.partial",
          "backup.corrupted",
          "backup.rpo-breached",
          "storage.write-failed",
          "storage.chunk-damaged",
          "replica.unreachable",
          "recovery.failed",
          "recovery.test-failed",
          "recovery.rto-breached",
          "recovery.rpo-breached",
          "recovery.compensation-failed",
          "schedule.missed",
          "notification.failed");

  public boolean matches(String kind) {
    for (String e : events) {
      String p = e.strip();
      if (p.equals(kind) || p.equals("*")) {
        return true;
      }
      if (p.endsWith("*") && kind.startsWith(p.substring(0, p.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
