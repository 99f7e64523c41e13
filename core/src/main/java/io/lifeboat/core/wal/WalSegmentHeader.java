package io.lifeboat.core.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The long page header at the start of every WAL segment: the facts Lifeboat checks before it
 * archives a segment (it belongs to the timeline and position its name says, and to one cluster).
 *
 * @param magic the WAL format magic of the PostgreSQL major version (0xD110 for 15)
 * @param timeline the header's timeline
 * @param pageAddress the WAL position of the segment's first byte
 * @param systemId the cluster's system identifier
 * @param segmentSize the cluster's WAL segment size
 */
public record WalSegmentHeader(
    int magic, long timeline, long pageAddress, long systemId, long segmentSize) {

  /** Bytes needed to read a long page header. */
  public static final int SIZE = 40;

  private static final int XLP_LONG_HEADER = 0x0002;

  /** Reads the header (little-endian, as PostgreSQL writes it on the machines Lifeboat runs on). */
  public static WalSegmentHeader read(byte[] first) {
    if (first.length < SIZE) {
      throw new IllegalArgumentException(
          "a WAL segment starts with a " + SIZE + "-byte header; this file has " + first.length);
    }
    ByteBuffer b = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN);
    int magic = Short.toUnsignedInt(b.getShort(0));
    int info = Short.toUnsignedInt(b.getShort(2));
    if ((info & XLP_LONG_HEADER) == 0) {
      throw new IllegalArgumentException(
          "not a WAL segment: its first page has no long header (info 0x"
              + Integer.toHexString(info)
              + ")");
    }
    return new WalSegmentHeader(
        magic,
        Integer.toUnsignedLong(b.getInt(4)),
        b.getLong(8),
        b.getLong(24),
        Integer.toUnsignedLong(b.getInt(32)));
  }

  /**
   * What does not fit a segment of this name: another timeline, another position, a segment size
   * that is not a power of two. Empty when the header matches.
   */
  public List<String> mismatches(WalFileName name) {
    List<String> problems = new ArrayList<>();
    if (segmentSize < 1024 * 1024 || Long.bitCount(segmentSize) != 1) {
      problems.add("its header gives a segment size of " + segmentSize + " bytes");
      return problems;
    }
    if (timeline != name.timeline()) {
      problems.add("its header says timeline " + timeline + ", its name " + name.timeline());
    }
    long expected = name.segno(segmentSize) * segmentSize;
    if (pageAddress != expected) {
      problems.add(
          "its header starts at WAL position "
              + Long.toHexString(pageAddress)
              + ", its name means "
              + Long.toHexString(expected));
    }
    return problems;
  }

  /** The PostgreSQL major version the magic belongs to, or 0 when unknown. */
  public int pgMajor() {
    return switch (magic) {
      case 0xD10D -> 14;
      case 0xD110 -> 15;
      case 0xD113 -> 16;
      case 0xD116 -> 17;
      default -> 0;
    };
  }
}
