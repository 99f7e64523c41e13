package io.lifeboat.core.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.mem.MemBackend;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which archived WAL a point-in-time restore replays, and when it must refuse. */
class WalReplayPlanTest {

  private static final long MB16 = WalFileName.DEFAULT_SEGMENT_SIZE;
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private Repository repo;

  @BeforeEach
  void repository() {
    repo =
        Repository.init(
            new MemBackend(UUID.randomUUID().toString()),
            MasterKey.generate(),
            new ChunkerParams(4 * 1024, 16 * 1024, 64 * 1024, 1L));
  }

  /** Archives segment {@code segno} of timeline 1, closed {@code segno * 10} s after T0. */
  private void archive(String source, long segno) {
    String file = WalFileName.segmentName(1, segno, MB16);
    String id = WalArchive.newBackupId(source, file);
    Manifest m =
        new Manifest(
            Manifest.VERSION,
            id,
            WalArchive.backupName(source),
            "FULL",
            "SUCCESS",
            Map.of(),
            T0,
            T0,
            T0,
            List.of(
                new Manifest.Component(
                    "wal",
                    "walseg",
                    "walseg:/pg_wal/" + file + "?source=" + source,
                    "OK",
                    List.of(),
                    0,
                    "",
                    Map.of(
                        WalArchive.META_FILE,
                        file,
                        WalArchive.META_CLOSED_AT,
                        T0.plusSeconds(segno * 10).toString()),
                    List.of(),
                    List.of())));
    Repository.storeManifest(repo.backend(), id, repo.sealManifest(m));
  }

  private static WalReplayPlan.Base base() {
    // ended at T0 + 25 s, in segment 2
    return new WalReplayPlan.Base(
        "base-1", 1, "000000010000000000000002", T0.plusSeconds(25), MB16);
  }

  @Test
  void toTheEnd_replaysTheUnbrokenRunFromTheBasesLastSegment() throws Exception {
    for (long s = 1; s <= 6; s++) {
      archive("pg", s);
    }
    archive("other", 9);
    WalReplayPlan plan = WalReplayPlan.plan(WalArchive.of(repo, "pg"), base(), null);
    assertThat(plan.files())
        .containsExactly(
            "000000010000000000000002",
            "000000010000000000000003",
            "000000010000000000000004",
            "000000010000000000000005",
            "000000010000000000000006");
    assertThat(plan.recoverableUntil()).isEqualTo(T0.plusSeconds(60));
    assertThat(plan.gap()).isEmpty();
  }

  @Test
  void aGap_endsTheRun_andATimePastItIsRefusedNamingTheMissingSegment() throws Exception {
    for (long s : new long[] {2, 3, 4, 6, 7}) {
      archive("pg", s);
    }
    WalArchive archive = WalArchive.of(repo, "pg");
    assertThat(archive.gaps(1, MB16))
        .singleElement()
        .satisfies(g -> assertThat(g).containsExactly(5, 5));
    WalReplayPlan before = WalReplayPlan.plan(archive, base(), T0.plusSeconds(35));
    assertThat(before.lastSegment()).isEqualTo("000000010000000000000004");
    assertThat(before.gap()).contains("000000010000000000000005");
    assertThatThrownBy(() -> WalReplayPlan.plan(archive, base(), T0.plusSeconds(65)))
        .isInstanceOf(WalReplayPlan.Refused.class)
        .hasMessageContaining("WAL gap")
        .hasMessageContaining("000000010000000000000005");
  }

  @Test
  void timesBeforeTheBaseOrAfterTheArchive_areRefused() throws Exception {
    for (long s = 2; s <= 4; s++) {
      archive("pg", s);
    }
    WalArchive archive = WalArchive.of(repo, "pg");
    assertThatThrownBy(() -> WalReplayPlan.plan(archive, base(), T0.plusSeconds(10)))
        .hasMessageContaining("before base backup base-1 ended");
    assertThatThrownBy(() -> WalReplayPlan.plan(archive, base(), T0.plusSeconds(41)))
        .hasMessageContaining("after the newest archived WAL");
    assertThat(WalReplayPlan.plan(archive, base(), T0.plusSeconds(40)).files()).hasSize(3);
  }

  @Test
  void aBaseWhoseLastSegmentIsNotArchived_cannotBeReplayed() throws Exception {
    archive("pg", 3);
    assertThatThrownBy(() -> WalReplayPlan.plan(WalArchive.of(repo, "pg"), base(), null))
        .hasMessageContaining("does not hold 000000010000000000000002");
  }
}
