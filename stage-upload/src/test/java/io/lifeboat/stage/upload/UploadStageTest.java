package io.lifeboat.stage.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.events.ChunkSealed;
import io.lifeboat.events.ChunkStored;
import io.lifeboat.events.Envelopes;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class UploadStageTest {

  final MemBackend backend = new MemBackend("upload-test");
  final UploadStage stage = new UploadStage(backend);
  final String id = "ab".repeat(32);

  ChunkSealed sealed(byte[] bytes) {
    return ChunkSealed.newBuilder()
        .setEnvelope(Envelopes.next("b-1"))
        .setBackupId("b-1")
        .setComponent("files")
        .setChunkId(id)
        .setPlainSize(10)
        .setSealed(ByteBuffer.wrap(bytes))
        .build();
  }

  @Test
  void store_writesUnderTheContentAddress_onlyOnce() {
    ChunkStored first = stage.store(sealed(new byte[] {1, 2, 3}));
    ChunkStored again = stage.store(sealed(new byte[] {9, 9, 9}));

    assertThat(first.getWritten()).isTrue();
    assertThat(again.getWritten()).isFalse();
    assertThat(backend.get(RepositoryLayout.chunk(id))).containsExactly(1, 2, 3);
    assertThat(first.getStoredSize()).isEqualTo(3);
    assertThat(first.getLocations()).containsExactly("mem:upload-test");
  }

  @Test
  void store_writesReplicasToo_andALaggingReplicaDoesNotStopTheBackup() {
    MemBackend good = new MemBackend("replica-ok");
    io.lifeboat.core.testing.FlakyBackend down =
        new io.lifeboat.core.testing.FlakyBackend(new MemBackend("replica-down"), 1.0, 1);
    MemBackend primary = new MemBackend("primary");
    UploadStage withReplicas = new UploadStage(primary, new java.util.LinkedHashMap<>(java.util.Map.of("ok", good, "down", down)));

    ChunkStored stored = withReplicas.store(sealed(new byte[] {5}));

    assertThat(stored.getLocations()).containsExactlyInAnyOrder("mem:primary", "mem:replica-ok");
    assertThat(good.get(RepositoryLayout.chunk(id))).containsExactly(5);
  }
}
