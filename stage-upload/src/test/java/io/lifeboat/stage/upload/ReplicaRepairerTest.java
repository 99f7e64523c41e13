package io.lifeboat.stage.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.core.testing.FlakyBackend;
import io.lifeboat.events.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaRepairerTest {

  final MemBackend primary = new MemBackend("primary");
  final List<Alert> alerts = new ArrayList<>();

  ReplicaRepairerTest() {
    Repository.init(primary, MasterKey.generate(), ChunkerParams.defaults(3L));
    primary.putIfAbsent(RepositoryLayout.manifest("b-1"), new byte[] {1});
  }

  @Test
  void aReplicaThatIsDown_isAlertedOnceNotEveryRound() {
    FlakyBackend down = new FlakyBackend(new MemBackend("down"), 1.0, 1);
    try (ReplicaRepairer repairer =
        new ReplicaRepairer(primary, Map.of("r", down), alerts::add, Duration.ZERO)) {
      repairer.repairAll();
      repairer.repairAll();
      repairer.repairAll();
    }
    assertThat(alerts)
        .singleElement()
        .satisfies(a -> assertThat(a.getKind()).isEqualTo("replica.unreachable"));
  }

  @Test
  void anEmptyReplica_getsTheConfigAndEveryBackup_andEachIsAnnounced() {
    MemBackend empty = new MemBackend("empty");
    try (ReplicaRepairer repairer =
        new ReplicaRepairer(primary, Map.of("r", empty), alerts::add, Duration.ZERO)) {
      repairer.repairAll();
    }
    assertThat(empty.exists(RepositoryLayout.CONFIG)).isTrue();
    assertThat(empty.get(RepositoryLayout.manifest("b-1"))).containsExactly(1);
    assertThat(alerts)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getKind()).isEqualTo("replica.repaired");
              assertThat(a.getSubject()).isEqualTo("b-1");
            });
  }
}
