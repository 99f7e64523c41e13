package io.lifeboat.core.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.storage.mem.MemBackend;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplicaSyncTest {

  @Test
  void lag_thenRepair_copiesConfigChunksAndManifests() {
    MemBackend primary = new MemBackend("p-" + UUID.randomUUID());
    MemBackend replica = new MemBackend("r-" + UUID.randomUUID());
    primary.putIfAbsent("config", new byte[] {1});
    primary.putIfAbsent("chunks/aa/" + "aa".repeat(32), new byte[] {2});
    primary.putIfAbsent("chunks/bb/" + "bb".repeat(32), new byte[] {3});
    primary.putIfAbsent("manifests/b-1", new byte[] {4});
    replica.putIfAbsent("chunks/aa/" + "aa".repeat(32), new byte[] {2});

    ReplicaSync.Lag lag = ReplicaSync.lag(primary, replica);
    assertThat(lag.missingChunks()).isEqualTo(1);
    assertThat(lag.missingManifests()).containsExactly("b-1");
    assertThat(lag.configMissing()).isTrue();

    ReplicaSync.Repair repair = ReplicaSync.repair(primary, replica);
    assertThat(repair.copiedObjects()).isEqualTo(3);
    assertThat(ReplicaSync.lag(primary, replica).upToDate()).isTrue();
    assertThat(ReplicaSync.repair(primary, replica).copiedObjects()).isZero();
  }
}
