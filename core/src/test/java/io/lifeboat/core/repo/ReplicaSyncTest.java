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

  @Test
  void repair_refusesToMixTwoRepositories() {
    MemBackend a = new MemBackend("a-" + UUID.randomUUID());
    MemBackend b = new MemBackend("b-" + UUID.randomUUID());
    Repository.init(
        a,
        io.lifeboat.core.crypto.MasterKey.generate(),
        io.lifeboat.core.chunk.ChunkerParams.defaults(1L));
    Repository.init(
        b,
        io.lifeboat.core.crypto.MasterKey.generate(),
        io.lifeboat.core.chunk.ChunkerParams.defaults(2L));
    a.putIfAbsent("manifests/b-1", new byte[] {4});

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplicaSync.repair(a, b))
        .isInstanceOf(io.lifeboat.core.storage.StorageException.class)
        .hasMessageContaining("holds another repository");
    assertThat(b.exists("manifests/b-1")).isFalse();
  }
}
