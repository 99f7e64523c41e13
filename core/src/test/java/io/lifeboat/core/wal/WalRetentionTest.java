package io.lifeboat.core.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.retention.Retention;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WalRetentionTest {

  private static final long MB16 = WalFileName.DEFAULT_SEGMENT_SIZE;

  private static Retention.Backup file(String name) {
    return new Retention.Backup(
        "wal.pg." + name + ".abcdefghij", "wal.pg", Instant.EPOCH, "SUCCESS", Map.of());
  }

  @Test
  void whatTheOldestKeptBaseReplaysFromStays_olderWalGoes_historyFilesStay() {
    List<Retention.Backup> files =
        List.of(
            file("000000010000000000000003"),
            file("000000010000000000000004.00000028.backup"),
            file("000000010000000000000005"),
            file("000000010000000000000006"),
            file("00000002.history"));
    List<Retention.Decision> d =
        WalRetention.decide(files, Optional.of(new WalRetention.Oldest(1, 5, "base-2")), MB16);
    assertThat(d)
        .extracting(Retention.Decision::keep)
        .containsExactly(false, false, true, true, true);
    assertThat(d.get(0).reasons()).singleElement().asString().contains("base-2");
  }

  @Test
  void withoutAKeptBase_theArchiveStays() {
    assertThat(
            WalRetention.decide(List.of(file("000000010000000000000003")), Optional.empty(), MB16))
        .allMatch(Retention.Decision::keep);
  }
}
