package io.lifeboat.catalog.query;

import io.lifeboat.events.CatalogEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The recovery point of each backup name and each schedule at a given moment: its newest successful
 * backup and how old that is (the RPO actually achieved).
 */
public final class RecoveryPoints {

  /** The label the scheduler puts on its backups (see ScheduledBackups). */
  static final String SCHEDULE_LABEL = "lifeboat.schedule";

  /**
   * @param backupId the newest successful backup, null when there is none
   * @param completedAt when it completed
   * @param age how old it is now (null when there is none)
   */
  public record Point(
      String key,
      @Nullable String backupId,
      @Nullable Instant completedAt,
      @Nullable Duration age) {}

  private final Map<String, CatalogEntry> newestByName = new TreeMap<>();
  private final Map<String, CatalogEntry> newestBySchedule = new TreeMap<>();

  public RecoveryPoints(Collection<CatalogEntry> entries) {
    for (CatalogEntry e : entries) {
      if (!"SUCCESS".equals(e.getStatus()) || e.getCompletedAt() == null) {
        continue;
      }
      newestByName.merge(e.getName(), e, RecoveryPoints::newer);
      String schedule = e.getLabels().get(SCHEDULE_LABEL);
      if (schedule != null) {
        newestBySchedule.merge(schedule, e, RecoveryPoints::newer);
      }
    }
  }

  private static CatalogEntry newer(CatalogEntry a, CatalogEntry b) {
    return java.util.Objects.requireNonNull(a.getCompletedAt())
            .isAfter(java.util.Objects.requireNonNull(b.getCompletedAt()))
        ? a
        : b;
  }

  public java.util.List<Point> byName(Instant now) {
    return newestByName.keySet().stream().map(n -> point(n, newestByName.get(n), now)).toList();
  }

  public Point ofSchedule(String schedule, Instant now) {
    return point(schedule, newestBySchedule.get(schedule), now);
  }

  public Optional<Point> ofName(String name, Instant now) {
    return Optional.ofNullable(newestByName.get(name)).map(e -> point(name, e, now));
  }

  private static Point point(String key, @Nullable CatalogEntry e, Instant now) {
    if (e == null || e.getCompletedAt() == null) {
      return new Point(key, null, null, null);
    }
    return new Point(
        key, e.getBackupId(), e.getCompletedAt(), Duration.between(e.getCompletedAt(), now));
  }
}
