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
    UploadStage withReplicas =
        new UploadStage(
            primary, new java.util.LinkedHashMap<>(java.util.Map.of("ok", good, "down", down)));

    ChunkStored stored = withReplicas.store(sealed(new byte[] {5}));

    assertThat(stored.getLocations()).containsExactlyInAnyOrder("mem:primary", "mem:replica-ok");
    assertThat(good.get(RepositoryLayout.chunk(id))).containsExactly(5);
  }

  @Test
  void aReplicaThatFailed_isSkippedDuringItsCoolDown_thenTriedAgain() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean down =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    MemBackend replica = new MemBackend("replica");
    io.lifeboat.core.storage.Backend counting =
        new io.lifeboat.core.storage.decorate.DecoratedBackend() {
          @Override
          public io.lifeboat.core.storage.Backend inner() {
            return replica;
          }

          @Override
          public boolean putIfAbsent(String name, byte[] bytes) {
            calls.incrementAndGet();
            if (down.get()) {
              throw io.lifeboat.core.storage.StorageException.transientFault("replica down", null);
            }
            return replica.putIfAbsent(name, bytes);
          }

          @Override
          public byte[] get(String name) {
            return replica.get(name);
          }

          @Override
          public byte[] get(String name, long offset, int length) {
            return replica.get(name, offset, length);
          }

          @Override
          public java.util.OptionalLong size(String name) {
            return replica.size(name);
          }

          @Override
          public void list(
              String prefix,
              java.util.function.Consumer<io.lifeboat.core.storage.ObjectInfo> each) {
            replica.list(prefix, each);
          }

          @Override
          public boolean delete(String name) {
            return replica.delete(name);
          }
        };
    long[] now = {1_000};
    UploadStage withReplica =
        new UploadStage(
            new MemBackend("primary"),
            java.util.Map.of("r", counting),
            java.time.Duration.ofSeconds(30),
            () -> now[0]);

    assertThat(withReplica.store(sealed(new byte[] {1})).getLocations())
        .containsExactly("mem:primary");
    now[0] += 29_000;
    assertThat(withReplica.store(sealed(new byte[] {1})).getLocations())
        .containsExactly("mem:primary");
    assertThat(calls).as("skipped while cooling down").hasValue(1);

    down.set(false);
    now[0] += 2_000;
    assertThat(withReplica.store(sealed(new byte[] {1})).getLocations())
        .containsExactly("mem:primary", "mem:replica");
    assertThat(calls).hasValue(2);
  }
}
