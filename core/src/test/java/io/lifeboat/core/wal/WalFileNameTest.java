package io.lifeboat.core.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class WalFileNameTest {

  private static final long MB16 = WalFileName.DEFAULT_SEGMENT_SIZE;

  @Test
  void segmentNames_roundTripThroughSegmentNumbers_acrossALogBoundary() {
    WalFileName last = WalFileName.parse("00000001000000000000000FF").orElse(null);
    assertThat(last).as("25 hex digits is no WAL name").isNull();
    WalFileName n = WalFileName.parse("0000000100000000000000FF").orElseThrow();
    assertThat(n.kind()).isEqualTo(WalFileName.Kind.SEGMENT);
    assertThat(n.segno(MB16)).isEqualTo(255);
    assertThat(WalFileName.segmentName(1, 256, MB16)).isEqualTo("000000010000000100000000");
    assertThat(WalFileName.parse("000000010000000100000000").orElseThrow().segno(MB16))
        .isEqualTo(256);
    // 1 MiB segments: 4096 per log
    assertThat(WalFileName.segmentName(2, 4096 + 5, 1024 * 1024))
        .isEqualTo("000000020000000100000005");
  }

  @Test
  void historyBackupAndPartialFiles_areRecognised_otherNamesAreNot() {
    assertThat(WalFileName.parse("00000002.history").orElseThrow().kind())
        .isEqualTo(WalFileName.Kind.HISTORY);
    assertThat(WalFileName.parse("00000002.history").orElseThrow().timeline()).isEqualTo(2);
    assertThat(WalFileName.parse("000000010000000000000002.00000028.backup").orElseThrow().kind())
        .isEqualTo(WalFileName.Kind.BACKUP);
    assertThat(WalFileName.parse("000000010000000000000002.partial").orElseThrow().kind())
        .isEqualTo(WalFileName.Kind.PARTIAL);
    assertThat(WalFileName.parse("postgresql.conf")).isEmpty();
    assertThat(WalFileName.parse("0000000100000000000000ff")).as("lower case").isEmpty();
  }

  @Test
  void lsns_mapToTheirSegments() {
    assertThat(WalFileName.segmentOf(1, "0/2000100", MB16)).isEqualTo("000000010000000000000002");
    assertThat(WalFileName.segmentOf(3, "1/FF000028", MB16)).isEqualTo("0000000300000001000000FF");
    assertThatThrownBy(() -> WalFileName.parseLsn("2000100")).hasMessageContaining("WAL position");
  }

  @Test
  void aSegmentHeader_mustMatchItsName() {
    byte[] h = header(0xD110, 1, 3 * MB16, 7714439257066763273L, MB16);
    WalSegmentHeader header = WalSegmentHeader.read(h);
    assertThat(header.pgMajor()).isEqualTo(15);
    assertThat(header.systemId()).isEqualTo(7714439257066763273L);
    assertThat(header.mismatches(WalFileName.parse("000000010000000000000003").orElseThrow()))
        .isEmpty();
    assertThat(header.mismatches(WalFileName.parse("000000010000000000000004").orElseThrow()))
        .singleElement()
        .asString()
        .contains("WAL position");
    assertThat(header.mismatches(WalFileName.parse("000000020000000000000003").orElseThrow()))
        .singleElement()
        .asString()
        .contains("timeline 1");
    byte[] shortHeader = h.clone();
    shortHeader[2] = 0;
    assertThatThrownBy(() -> WalSegmentHeader.read(shortHeader))
        .hasMessageContaining("long header");
  }

  /** A long page header as PostgreSQL writes it (little-endian). */
  static byte[] header(int magic, long tli, long pageAddress, long systemId, long segmentSize) {
    ByteBuffer b = ByteBuffer.allocate(WalSegmentHeader.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(0, (short) magic);
    b.putShort(2, (short) 0x0006);
    b.putInt(4, (int) tli);
    b.putLong(8, pageAddress);
    b.putLong(24, systemId);
    b.putInt(32, (int) segmentSize);
    b.putInt(36, 8192);
    return b.array();
  }
}
