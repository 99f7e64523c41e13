package io.lifeboat.core.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies a {@link RetentionPolicy} to the backups of one name: which to keep and why, which to
 * remove. Pure: no storage, no clock but the one passed in. Only successful backups count for the
 * rules; FAILED ones are never referenced by a manifest anyway. Never removed, whatever the policy:
 * the newest successful backup, pinned backups, and those in {@code protectedIds} (in use by a
 * running recovery, under object lock).
 */
public final class Retention {

  /**
   * A backup as retention sees it.
   *
   * @param status SUCCESS or PARTIAL (others are ignored)
   */
  public record Backup(
      String id, String name, Instant completedAt, String status, Map<String, String> labels) {
    public Backup {
      labels = Map.copyOf(labels);
    }
  }

  /**
   * What happens to one backup.
   *
   * @param reasons why it is kept (every rule that keeps it), or why it goes
   */
  public record Decision(Backup backup, boolean keep, List<String> reasons) {}

  private Retention() {}

  /**
   * @param backups backups of one name, in any order
   * @param zone the time zone whose days, weeks, months and years count
   * @param protectedIds never removed (with the reason)
   * @return one decision per backup, newest first
   */
  public static List<Decision> decide(
      List<Backup> backups,
      RetentionPolicy policy,
      Instant now,
      ZoneId zone,
      Map<String, String> protectedIds) {
    List<Backup> newestFirst = new ArrayList<>(backups);
    newestFirst.sort(
        Comparator.comparing(Backup::completedAt).reversed().thenComparing(Backup::id));
    Map<String, List<String>> kept = new LinkedHashMap<>();
    newestFirst.stream()
        .filter(b -> "SUCCESS".equals(b.status()))
        .findFirst()
        .ifPresent(b -> keep(kept, b, "the newest successful backup"));
    for (Backup b : newestFirst) {
      if (policy.pins(b.labels())) {
        keep(kept, b, "pinned by label");
      }
      String why = protectedIds.get(b.id());
      if (why != null) {
        keep(kept, b, why);
      }
      if (policy.keepWithin() != null && b.completedAt().isAfter(now.minus(policy.keepWithin()))) {
        keep(kept, b, "younger than " + policy.keepWithin());
      }
    }
    List<Backup> counted = newestFirst.stream().filter(Retention::counts).toList();
    // what the count rules kept: a coarser rule skips the periods a finer one covered already
    // (safety keeps above do not count, so the default keeps 30 + 12 + 12 distinct backups)
    Map<String, List<String>> byRule = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(policy.keepLast(), counted.size()); i++) {
      keep(byRule, counted.get(i), "last " + policy.keepLast());
    }
    // finest first: a coarser rule keeps only what the finer ones did not
    bucket(
        byRule,
        counted,
        policy.keepHourly(),
        "hourly",
        t -> t.truncatedTo(ChronoUnit.HOURS).toString(),
        zone);
    bucket(byRule, counted, policy.keepDaily(), "daily", t -> t.toLocalDate().toString(), zone);
    bucket(
        byRule,
        counted,
        policy.keepWeekly(),
        "weekly",
        t -> t.get(IsoFields.WEEK_BASED_YEAR) + "-W" + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
        zone);
    bucket(
        byRule,
        counted,
        policy.keepMonthly(),
        "monthly",
        t -> t.getYear() + "-" + t.getMonthValue(),
        zone);
    bucket(
        byRule, counted, policy.keepYearly(), "yearly", t -> Integer.toString(t.getYear()), zone);

    byRule.forEach(
        (id, reasons) -> kept.computeIfAbsent(id, k -> new ArrayList<>()).addAll(reasons));
    List<Decision> out = new ArrayList<>();
    for (Backup b : newestFirst) {
      List<String> reasons = kept.get(b.id());
      if (reasons != null) {
        out.add(new Decision(b, true, List.copyOf(reasons)));
      } else {
        out.add(
            new Decision(
                b,
                false,
                List.of(
                    counts(b)
                        ? "no rule of " + policy.describe() + " keeps it"
                        : "status " + b.status() + ": not restorable, nothing keeps it")));
      }
    }
    return out;
  }

  private static boolean counts(Backup b) {
    return Set.of("SUCCESS", "PARTIAL").contains(b.status());
  }

  /**
   * Keeps the newest backup of each of the {@code n} newest periods whose newest backup no rule
   * kept yet.
   */
  private static void bucket(
      Map<String, List<String>> kept,
      List<Backup> newestFirst,
      int n,
      String rule,
      Function<ZonedDateTime, String> period,
      ZoneId zone) {
    if (n == 0) {
      return;
    }
    Map<String, Backup> newestOfPeriod = new LinkedHashMap<>();
    for (Backup b : newestFirst) {
      newestOfPeriod.putIfAbsent(period.apply(b.completedAt().atZone(zone)), b);
    }
    int taken = 0;
    for (Map.Entry<String, Backup> e : newestOfPeriod.entrySet()) {
      if (taken == n) {
        break;
      }
      Backup b = e.getValue();
      if (kept.containsKey(b.id())) {
        continue;
      }
      keep(kept, b, rule + " " + (taken + 1) + " of " + n + " (" + e.getKey() + ")");
      taken++;
    }
  }

  private static void keep(Map<String, List<String>> kept, Backup b, String reason) {
    kept.computeIfAbsent(b.id(), k -> new ArrayList<>()).add(reason);
  }
}
