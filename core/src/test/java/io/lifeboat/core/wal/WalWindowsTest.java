package io.lifeboat.core.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WalWindowsTest {

  private static final long MB16 = WalFileName.DEFAULT_SEGMENT_SIZE;
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void eachBaseReachesToTheEndOfItsUnbrokenRun_gapsAreListed_rpoIsTheNewestAge() {
    Map<String, Instant> files = new HashMap<>();
    for (long s : new long[] {2, 3, 4, 6, 7}) {
      files.put(WalFileName.segmentName(1, s, MB16), T0.plusSeconds(s * 10));
    }
    files.put("000000010000000000000002.00000028.backup", T0.plusSeconds(21));
    List<WalReplayPlan.Base> bases =
        List.of(
            new WalReplayPlan.Base("b1", 1, "000000010000000000000002", T0.plusSeconds(15), MB16),
            new WalReplayPlan.Base("b2", 1, "000000010000000000000006", T0.plusSeconds(55), MB16),
            new WalReplayPlan.Base("b3", 1, "000000010000000000000008", T0.plusSeconds(75), MB16));
    WalWindows.Status s = WalWindows.of("pg", files, bases, T0.plusSeconds(100));
    assertThat(s.files()).isEqualTo(6);
    assertThat(s.newestSegment()).isEqualTo("000000010000000000000007");
    assertThat(s.rpoSeconds()).isEqualTo(30);
    assertThat(s.gaps())
        .containsExactly(
            new WalWindows.Gap(1, "000000010000000000000005", "000000010000000000000005"));
    assertThat(s.windows().get(0).to()).isEqualTo(T0.plusSeconds(40));
    assertThat(s.windows().get(1).to()).isEqualTo(T0.plusSeconds(70));
    assertThat(s.windows().get(2).to()).isNull();
    assertThat(s.windows().get(2).refused()).contains("not archived");
  }
}
