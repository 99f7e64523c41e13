package io.lifeboat.stage.verify;

import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.wal.WalArchive;
import io.lifeboat.core.wal.WalFileName;
import io.lifeboat.events.BackupDumped;
import java.util.Optional;

/**
 * After a WAL segment is archived ({@code lifeboat wal push}): is the segment before it in the
 * archive? PostgreSQL archives segments in order, so a missing predecessor while older segments of
 * the same timeline are archived is a hole in the chain, and no point-in-time restore can pass it.
 * Looks at the segment's own timeline and log (at most 4 GiB of WAL), and the log before when the
 * segment is the first of its log.
 */
final class WalGapCheck {

  private WalGapCheck() {}

  /** The missing predecessor's name, when there is a gap right before this segment. */
  static Optional<String> missingBefore(Repository repo, BackupDumped dumped) {
    String source = dumped.getLabels().get("wal.source");
    String file = dumped.getLabels().get("wal.file");
    if (source == null || file == null || !dumped.getBackupId().startsWith("wal.")) {
      return Optional.empty();
    }
    Optional<WalFileName> name = WalFileName.parse(file);
    if (name.isEmpty() || name.get().kind() != WalFileName.Kind.SEGMENT) {
      return Optional.empty();
    }
    long segmentSize =
        dumped.getComponents().stream()
            .map(c -> c.getSummary().getMetadata().get(WalArchive.META_SEGMENT_SIZE))
            .filter(s -> s != null)
            .map(Long::parseLong)
            .findFirst()
            .orElse(WalFileName.DEFAULT_SEGMENT_SIZE);
    long tli = name.get().timeline();
    long segno = name.get().segno(segmentSize);
    if (segno == 0) {
      return Optional.empty();
    }
    String previous = WalArchive.name(tli, segno - 1, segmentSize);
    WalArchive log = WalArchive.of(repo, source, previous.substring(0, 16));
    if (log.has(previous)) {
      return Optional.empty();
    }
    boolean olderArchived =
        log.segments(tli, segmentSize).headMap(segno - 1).size() > 0
            || (segno >= 2
                && !WalArchive.of(
                        repo, source, WalArchive.name(tli, segno - 2, segmentSize).substring(0, 16))
                    .segments(tli, segmentSize)
                    .headMap(segno - 1)
                    .isEmpty());
    return olderArchived ? Optional.of(previous) : Optional.empty();
  }
}
