package io.lifeboat.provider.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentProviderContractTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component contract for archived WAL files, on synthetic 1 MiB segments. */
class WalSegmentProviderTest extends ComponentProviderContractTest {

  private static final int SEGMENT = 1024 * 1024;
  private static final String NAME = "000000010000000000000003";

  @TempDir Path dir;
  int n;
  final WalSegmentProvider walseg = new WalSegmentProvider();

  @Override
  protected ComponentProvider provider() {
    return walseg;
  }

  /** A 1 MiB segment 3 of timeline 1: a long page header, then WAL-like bytes. */
  static byte[] segment(long segno, long tli) {
    byte[] b = new byte[SEGMENT];
    new Random(segno * 31 + tli).nextBytes(b);
    for (int i = SEGMENT / 2; i < SEGMENT; i++) {
      b[i] = 0; // the unused tail of a switched segment
    }
    ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    h.putShort(0, (short) 0xD110);
    h.putShort(2, (short) 0x0006);
    h.putInt(4, (int) tli);
    h.putLong(8, segno * SEGMENT);
    h.putLong(24, 7714439257066763273L);
    h.putInt(32, SEGMENT);
    h.putInt(36, 8192);
    return b;
  }

  @Override
  protected String newSource() throws Exception {
    Path wal = Files.createDirectories(dir.resolve("pg_wal-" + n++));
    Files.write(wal.resolve(NAME), segment(3, 1));
    return "walseg:" + wal.resolve(NAME) + "?source=it-pg";
  }

  @Override
  protected String newTarget() {
    return dir.resolve("target-" + n++).toString();
  }

  @Override
  protected String occupiedTarget() throws Exception {
    Path p = Files.createDirectories(dir.resolve("occupied-" + n++));
    Files.writeString(p.resolve("000000010000000000000001"), "keep");
    return p.toString();
  }

  @Override
  protected String missingSource() {
    return "walseg:" + dir.resolve("missing/" + NAME) + "?source=it-pg";
  }

  @Override
  protected void assertSameContent(String sourceSpec, String targetSpec) throws Exception {
    Path source = Path.of(sourceSpec.substring("walseg:".length(), sourceSpec.indexOf('?')));
    assertThat(Files.readAllBytes(Path.of(targetSpec).resolve(NAME)))
        .isEqualTo(Files.readAllBytes(source));
  }

  @Override
  protected Object describe(String targetSpec) throws Exception {
    Path p = Path.of(targetSpec);
    if (!Files.exists(p)) {
      return "absent";
    }
    try (var files = Files.list(p)) {
      return files
          .sorted()
          .map(
              f -> {
                try {
                  return f.getFileName() + ":" + java.util.Arrays.hashCode(Files.readAllBytes(f));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  @Override
  protected void damage(String targetSpec) throws Exception {
    Path f = Path.of(targetSpec).resolve(NAME);
    byte[] b = Files.readAllBytes(f);
    b[100] ^= 1;
    Files.write(f, b);
  }

  @Test
  void aSegmentWhoseHeaderDoesNotMatchItsName_isRefused() throws Exception {
    Path wal = Files.createDirectories(dir.resolve("renamed"));
    Files.write(wal.resolve("000000010000000000000004"), segment(3, 1));
    var source = walseg.parse("walseg:" + wal.resolve("000000010000000000000004") + "?source=x");
    assertThatThrownBy(() -> walseg.dump(source, new ByteArrayOutputStream()))
        .hasMessageContaining("refusing to archive")
        .hasMessageContaining("WAL position");
  }

  @Test
  void dump_recordsWhatTheReplayNeeds() throws Exception {
    var result = walseg.dump(walseg.parse(newSource()), new ByteArrayOutputStream());
    assertThat(result.metadata())
        .containsEntry("walFile", NAME)
        .containsEntry("walSource", "it-pg")
        .containsEntry("walSegmentSize", Integer.toString(SEGMENT))
        .containsEntry("systemId", "7714439257066763273")
        .containsEntry("segno", "3")
        .containsKey("closedAt");
  }

  @Test
  void backupHistoryFiles_areTextAndArchivedAsTheyAre() throws Exception {
    Path wal = Files.createDirectories(dir.resolve("history"));
    Path f = wal.resolve("000000010000000000000002.00000028.backup");
    Files.writeString(f, "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    var result = walseg.dump(walseg.parse("walseg:" + f + "?source=x"), out);
    assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(f));
    assertThat(result.metadata()).containsEntry("walKind", "BACKUP");
  }

  @Test
  void specsNeedAWalFileNameAndASource() {
    assertThatThrownBy(() -> walseg.parse("walseg:/etc/passwd?source=x"))
        .hasMessageContaining("not a file PostgreSQL archives");
    assertThatThrownBy(() -> walseg.parse("walseg:/pg_wal/" + NAME))
        .hasMessageContaining("?source=");
    assertThatThrownBy(() -> walseg.parse("walseg:/pg_wal/" + NAME + "?source=Bad.Name"))
        .hasMessageContaining("invalid WAL source id");
  }
}
