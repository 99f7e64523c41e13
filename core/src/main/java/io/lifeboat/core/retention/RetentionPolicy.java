package io.lifeboat.core.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which backups of one name to keep. Each count keeps the newest backup of that many periods that
 * no earlier (finer) rule kept already: the story's default, 30 daily, 12 weekly and 12 monthly,
 * keeps 54 distinct backups reaching about a year back. A backup is kept if any rule keeps it.
 *
 * @param keepLast the newest N
 * @param keepHourly one per hour for N hours that have a backup
 * @param keepDaily one per day
 * @param keepWeekly one per ISO week
 * @param keepMonthly one per month
 * @param keepYearly one per year
 * @param keepWithin every backup younger than this (null: none)
 * @param keepLabels a backup with any of these labels ({@code key=value}, or {@code key} for any
 *     value) is kept
 */
public record RetentionPolicy(
    int keepLast,
    int keepHourly,
    int keepDaily,
    int keepWeekly,
    int keepMonthly,
    int keepYearly,
    @Nullable Duration keepWithin,
    List<String> keepLabels) {

  /** The label that pins a backup against every policy. */
  public static final String PIN_LABEL = "lifeboat.pin";

  /** The story's default: 30 daily, 12 weekly, 12 monthly. */
  public static final RetentionPolicy DEFAULT =
      new RetentionPolicy(0, 0, 30, 12, 12, 0, null, List.of());

  public RetentionPolicy {
    for (int n : new int[] {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly}) {
      if (n < 0) {
        throw new IllegalArgumentException("a keep count cannot be negative, got " + n);
      }
    }
    if (keepWithin != null && keepWithin.isNegative()) {
      throw new IllegalArgumentException("keep-within cannot be negative");
    }
    keepLabels = List.copyOf(keepLabels);
  }

  /** Whether this policy keeps nothing by rule (only the newest and pinned backups survive it). */
  public boolean isEmpty() {
    return keepLast + keepHourly + keepDaily + keepWeekly + keepMonthly + keepYearly == 0
        && (keepWithin == null || keepWithin.isZero())
        && keepLabels.isEmpty();
  }

  /** Whether {@code labels} match one of the keep-labels (or the pin label). */
  boolean pins(Map<String, String> labels) {
    if (labels.containsKey(PIN_LABEL)) {
      return true;
    }
    for (String rule : keepLabels) {
      int eq = rule.indexOf('=');
      if (eq < 0
          ? labels.containsKey(rule)
          : rule.substring(eq + 1).equals(labels.get(rule.substring(0, eq)))) {
        return true;
      }
    }
    return false;
  }

  /** The policy as the command-line options that give it. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    add(parts, "last", keepLast);
    add(parts, "hourly", keepHourly);
    add(parts, "daily", keepDaily);
    add(parts, "weekly", keepWeekly);
    add(parts, "monthly", keepMonthly);
    add(parts, "yearly", keepYearly);
    if (keepWithin != null) {
      parts.add("--keep-within " + keepWithin);
    }
    keepLabels.forEach(l -> parts.add("--keep-label " + l));
    return parts.isEmpty() ? "(keep only the newest)" : String.join(" ", parts);
  }

  /**
   * The policy as {@code keep-*} options ({@code keep-daily=30}, {@code keep-within=P7D}, {@code
   * keep-label=a,b}): how a schedule carries it.
   */
  public Map<String, String> toOptions() {
    Map<String, String> o = new java.util.LinkedHashMap<>();
    put(o, "keep-last", keepLast);
    put(o, "keep-hourly", keepHourly);
    put(o, "keep-daily", keepDaily);
    put(o, "keep-weekly", keepWeekly);
    put(o, "keep-monthly", keepMonthly);
    put(o, "keep-yearly", keepYearly);
    if (keepWithin != null) {
      o.put("keep-within", keepWithin.toString());
    }
    if (!keepLabels.isEmpty()) {
      o.put("keep-label", String.join(",", keepLabels));
    }
    return o;
  }

  /**
   * The policy {@link #toOptions} wrote. @throws IllegalArgumentException naming an unknown option
   * or a bad value
   */
  public static RetentionPolicy fromOptions(Map<String, String> options) {
    Map<String, String> o = new java.util.HashMap<>(options);
    int[] n = new int[6];
    String[] keys = {
      "keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly"
    };
    for (int i = 0; i < keys.length; i++) {
      String v = o.remove(keys[i]);
      if (v != null) {
        try {
          n[i] = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(keys[i] + " must be a number, got " + v);
        }
      }
    }
    String within = o.remove("keep-within");
    Duration keepWithin = null;
    if (within != null) {
      try {
        keepWithin = Duration.parse(within.strip());
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            "keep-within must be an ISO-8601 duration such as P30D, got " + within);
      }
    }
    String labels = o.remove("keep-label");
    if (!o.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown retention option(s) " + new java.util.TreeSet<>(o.keySet()));
    }
    return new RetentionPolicy(
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
        keepWithin,
        labels == null || labels.isBlank() ? List.of() : List.of(labels.split(",")));
  }

  private static void put(Map<String, String> o, String key, int n) {
    if (n > 0) {
      o.put(key, Integer.toString(n));
    }
  }

  private static void add(List<String> parts, String rule, int n) {
    if (n > 0) {
      parts.add("--keep-" + rule + " " + n);
    }
  }
}
