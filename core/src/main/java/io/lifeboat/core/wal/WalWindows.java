package io.lifeboat.core.wal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The recoverable windows, gaps and live RPO of one source's WAL archive, from what is known about
 * its files (name and when PostgreSQL closed each) and its base backups: what the catalog serves at
 * {@code /api/wal/sources/{source}}. The same rules as {@link WalReplayPlan}: a base reaches from
 * its end to the close of the last segment of the unbroken run from its last segment.
 */
public final class WalWindows {

  private WalWindows() {}

  /**
   * @param to null when the base's last segment is not archived
   * @param refused why this base cannot be replayed, or null
   */
  public record Window(
      String baseBackupId,
      Instant from,
      @Nullable Instant to,
      @Nullable String lastSegment,
      @Nullable String refused) {}

  /** Missing segments [from, to] on a timeline, between archived ones. */
  public record Gap(long timeline, String from, String to) {}

  /**
   * @param rpoSeconds the age of the newest archived segment (what a restore to the end would lose
   *     if the cluster died now), or null when nothing is archived
   */
  public record Status(
      String source,
      int files,
      @Nullable String newestSegment,
      @Nullable Instant newestClosedAt,
      @Nullable Long rpoSeconds,
      List<Window> windows,
      List<Gap> gaps) {}

  /**
   * @param closedAt archived file name to when PostgreSQL closed it
   */
  public static Status of(
      String source, Map<String, Instant> closedAt, List<WalReplayPlan.Base> bases, Instant now) {
    long segmentSize =
        bases.isEmpty() ? WalFileName.DEFAULT_SEGMENT_SIZE : bases.get(0).segmentSize();
    TreeMap<String, Instant> segments = new TreeMap<>();
    closedAt.forEach(
        (f, t) ->
            WalFileName.parse(f)
                .filter(n -> n.kind() == WalFileName.Kind.SEGMENT)
                .ifPresent(n -> segments.put(f, t)));
    List<Window> windows = new ArrayList<>();
    for (WalReplayPlan.Base b :
        bases.stream().sorted(Comparator.comparing(WalReplayPlan.Base::stopTime)).toList()) {
      if (!segments.containsKey(b.stopSegment())) {
        windows.add(
            new Window(
                b.backupId(),
                b.stopTime(),
                null,
                null,
                b.stopSegment() + ", the segment the base ends in, is not archived (yet)"));
        continue;
      }
      long s = WalFileName.parse(b.stopSegment()).orElseThrow().segno(b.segmentSize());
      String last = b.stopSegment();
      while (segments.containsKey(WalFileName.segmentName(b.timeline(), s + 1, b.segmentSize()))) {
        s++;
        last = WalFileName.segmentName(b.timeline(), s, b.segmentSize());
      }
      windows.add(new Window(b.backupId(), b.stopTime(), segments.get(last), last, null));
    }
    List<Gap> gaps = new ArrayList<>();
    WalFileName previous = null;
    for (String f : segments.keySet()) {
      WalFileName n = WalFileName.parse(f).orElseThrow();
      if (previous != null
          && previous.timeline() == n.timeline()
          && n.segno(segmentSize) > previous.segno(segmentSize) + 1) {
        gaps.add(
            new Gap(
                n.timeline(),
                WalFileName.segmentName(n.timeline(), previous.segno(segmentSize) + 1, segmentSize),
                WalFileName.segmentName(n.timeline(), n.segno(segmentSize) - 1, segmentSize)));
      }
      previous = n;
    }
    String newest = segments.isEmpty() ? null : segments.lastKey();
    Instant newestAt = newest == null ? null : segments.get(newest);
    return new Status(
        source,
        closedAt.size(),
        newest,
        newestAt,
        newestAt == null ? null : Duration.between(newestAt, now).toSeconds(),
        windows,
        gaps);
  }
}
