package io.lifeboat.core.wal;

import io.lifeboat.core.retention.Retention;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Retention of a WAL archive: what every kept base backup of the source needs stays, and nothing
 * older. Count- and age-based policies ({@code keep-daily}...) never apply to archived WAL: keeping
 * "one segment per day" would break every replay.
 */
public final class WalRetention {

  private WalRetention() {}

  /**
   * The oldest segment a kept base backup still replays from.
   *
   * @param timeline its timeline
   * @param segno its segment number
   */
  public record Oldest(long timeline, long segno, String baseBackupId) {}

  /**
   * @param files the archive's backups (ids {@code wal.SOURCE.FILE.RANDOM})
   * @param oldest the oldest segment a kept base needs, or empty when no base of the source is
   *     kept: then everything stays (an archive is not removed for lack of a base)
   */
  public static List<Retention.Decision> decide(
      List<Retention.Backup> files, Optional<Oldest> oldest, long segmentSize) {
    List<Retention.Decision> out = new ArrayList<>();
    for (Retention.Backup b : files) {
      Optional<WalFileName> name = fileOf(b.id());
      if (oldest.isEmpty()) {
        out.add(
            new Retention.Decision(
                b, true, List.of("WAL: no kept base backup of this source, so the archive stays")));
        continue;
      }
      Oldest o = oldest.get();
      boolean older =
          name.isPresent()
              && name.get().kind() != WalFileName.Kind.HISTORY
              && (name.get().timeline() < o.timeline()
                  || (name.get().timeline() == o.timeline()
                      && name.get().segno(segmentSize) < o.segno()));
      out.add(
          new Retention.Decision(
              b,
              !older,
              List.of(
                  older
                      ? "WAL before "
                          + WalFileName.segmentName(o.timeline(), o.segno(), segmentSize)
                          + ", where the oldest kept base backup ("
                          + o.baseBackupId()
                          + ") starts replaying"
                      : "WAL needed by the kept base backups (from " + o.baseBackupId() + " on)")));
    }
    return out;
  }

  /** The archived file a WAL backup id holds. */
  static Optional<WalFileName> fileOf(String backupId) {
    if (!backupId.startsWith("wal.")) {
      return Optional.empty();
    }
    int first = backupId.indexOf('.', 4);
    int last = backupId.lastIndexOf('.');
    if (first < 0 || last <= first) {
      return Optional.empty();
    }
    return WalFileName.parse(backupId.substring(first + 1, last));
  }
}
