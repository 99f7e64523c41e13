package io.lifeboat.core.wal;

import io.lifeboat.core.repo.DamagedObjectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a point-in-time restore replays on top of a base backup: the archived segments from the
 * base's last segment through the end of the unbroken run after it, and every timeline history
 * file. Refused, with the reason, when the target time lies before the base backup ended, past the
 * newest archived WAL, or past a gap in the archive.
 *
 * @param files the archived files to fetch, in replay order
 * @param recoverableUntil when the last segment of the run was closed: no later point can be
 *     reached
 * @param target the time to stop at, or null for the end of the archive
 * @param lastSegment the last segment the replay can use
 * @param gap the first missing segment after the run, when a later one is archived
 */
public record WalReplayPlan(
    List<String> files,
    Instant recoverableUntil,
    @Nullable Instant target,
    String lastSegment,
    Optional<String> gap) {

  /** A base backup as the replay needs it. */
  public record Base(
      String backupId, long timeline, String stopSegment, Instant stopTime, long segmentSize) {}

  /** A restore to this time cannot be done from this archive. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    public Refused(String reason) {
      super(reason);
    }
  }

  public static WalReplayPlan plan(WalArchive archive, Base base, @Nullable Instant at)
      throws Refused, DamagedObjectException {
    if (at != null && at.isBefore(base.stopTime())) {
      throw new Refused(
          "the time "
              + at
              + " is before base backup "
              + base.backupId()
              + " ended ("
              + base.stopTime()
              + "); restore from an older base backup");
    }
    long segmentSize = base.segmentSize();
    long start =
        WalFileName.parse(base.stopSegment())
            .orElseThrow(
                () -> new IllegalArgumentException("not a segment name: " + base.stopSegment()))
            .segno(segmentSize);
    WalArchive.Run run = archive.run(base.timeline(), start, segmentSize);
    Optional<String> gap =
        run.firstMissing().map(s -> WalArchive.name(base.timeline(), s, segmentSize));
    if (run.empty()) {
      throw new Refused(
          "the WAL archive of "
              + archive.source()
              + " does not hold "
              + base.stopSegment()
              + ", the segment base backup "
              + base.backupId()
              + " ends in"
              + (gap.isPresent() ? " (WAL gap: it is missing while later segments exist)" : ""));
    }
    String last = WalArchive.name(base.timeline(), run.last(), segmentSize);
    Instant until = archive.closedAt(last);
    if (at != null && at.isAfter(until)) {
      if (gap.isPresent()) {
        throw new Refused(
            "WAL gap: segment "
                + gap.get()
                + " of "
                + archive.source()
                + " is missing from the archive, so no point after "
                + until
                + " (the end of "
                + last
                + ") can be recovered; "
                + at
                + " lies past the gap");
      }
      throw new Refused(
          "the time "
              + at
              + " is after the newest archived WAL of "
              + archive.source()
              + " ("
              + last
              + ", closed at "
              + until
              + ")");
    }
    List<String> files = new ArrayList<>();
    for (String f : archive.files().keySet()) {
      WalFileName.parse(f)
          .filter(n -> n.kind() == WalFileName.Kind.HISTORY)
          .ifPresent(n -> files.add(n.name()));
    }
    for (long s = run.first(); s <= run.last(); s++) {
      files.add(WalArchive.name(base.timeline(), s, segmentSize));
    }
    return new WalReplayPlan(List.copyOf(files), until, at, last, gap);
  }
}
