package io.lifeboat.core.wal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a file PostgreSQL archives: a WAL segment ({@code 000000010000000A000000FF}:
 * timeline, log, segment in hex), a timeline history file ({@code 00000002.history}), a backup
 * history file ({@code ...0002.00000028.backup}) or a partial segment ({@code ....partial}).
 *
 * @param name the file name as PostgreSQL gives it
 * @param kind what the file is
 * @param timeline the timeline it belongs to
 * @param log the high part of the segment address (segments and their backup/partial files)
 * @param seg the low part
 */
public record WalFileName(String name, Kind kind, long timeline, long log, long seg) {

  /** What an archived file is. Only segments and history files take part in a replay chain. */
  public enum Kind {
    SEGMENT,
    HISTORY,
    BACKUP,
    PARTIAL
  }

  /** PostgreSQL's default segment size (initdb --wal-segsize changes it). */
  public static final long DEFAULT_SEGMENT_SIZE = 16L * 1024 * 1024;

  private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})");
  private static final Pattern HISTORY = Pattern.compile("([0-9A-F]{8})\\.history");
  private static final Pattern BACKUP =
      Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})\\.[0-9A-F]{8}\\.backup");
  private static final Pattern PARTIAL =
      Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})\\.partial");

  /** The file name when it is one PostgreSQL archives, else empty. */
  public static Optional<WalFileName> parse(String name) {
    Matcher m = SEGMENT.matcher(name);
    if (m.matches()) {
      return Optional.of(of(name, Kind.SEGMENT, m));
    }
    m = HISTORY.matcher(name);
    if (m.matches()) {
      return Optional.of(new WalFileName(name, Kind.HISTORY, Long.parseLong(m.group(1), 16), 0, 0));
    }
    m = BACKUP.matcher(name);
    if (m.matches()) {
      return Optional.of(of(name, Kind.BACKUP, m));
    }
    m = PARTIAL.matcher(name);
    if (m.matches()) {
      return Optional.of(of(name, Kind.PARTIAL, m));
    }
    return Optional.empty();
  }

  private static WalFileName of(String name, Kind kind, Matcher m) {
    return new WalFileName(
        name,
        kind,
        Long.parseLong(m.group(1), 16),
        Long.parseLong(m.group(2), 16),
        Long.parseLong(m.group(3), 16));
  }

  /** Segments per "log" (4 GiB of WAL address space). */
  public static long segmentsPerLog(long segmentSize) {
    if (segmentSize <= 0 || Long.bitCount(segmentSize) != 1) {
      throw new IllegalArgumentException("WAL segment size must be a power of two: " + segmentSize);
    }
    return 0x1_0000_0000L / segmentSize;
  }

  /** The segment number (position in the WAL address space, counted in segments). */
  public long segno(long segmentSize) {
    return log * segmentsPerLog(segmentSize) + seg;
  }

  /** The name of segment {@code segno} on a timeline. */
  public static String segmentName(long timeline, long segno, long segmentSize) {
    long perLog = segmentsPerLog(segmentSize);
    return String.format(Locale.ROOT, "%08X%08X%08X", timeline, segno / perLog, segno % perLog);
  }

  /** The segment that holds a WAL position such as {@code 0/3000028}. */
  public static String segmentOf(long timeline, String lsn, long segmentSize) {
    return segmentName(timeline, parseLsn(lsn) / segmentSize, segmentSize);
  }

  /** A WAL position ({@code hi/lo} in hex) as a number. */
  public static long parseLsn(String lsn) {
    int slash = lsn.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a WAL position: " + lsn);
    }
    return (Long.parseLong(lsn.substring(0, slash), 16) << 32)
        | Long.parseLong(lsn.substring(slash + 1), 16);
  }

  @Override
  public String toString() {
    return name;
  }
}
