package io.lifeboat.core.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.mem.MemBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PrunerTest {

  final MemBackend primary = new MemBackend("p-" + UUID.randomUUID());
  final MemBackend replica = new MemBackend("r-" + UUID.randomUUID());
  final MasterKey key = MasterKey.generate();
  final Repository repo = Repository.init(primary, key, ChunkerParams.defaults(3L));
  final Random random = new Random(7);

  ChunkId chunk(int size) {
    byte[] plain = new byte[size];
    random.nextBytes(plain);
    ChunkId id = repo.chunkId(plain, 0, plain.length);
    byte[] sealed = repo.sealChunk(id, plain, 0, plain.length, 1);
    repo.storeChunk(id, sealed);
    replica.putIfAbsent(RepositoryLayout.chunk(id), sealed);
    return id;
  }

  void backup(String id, List<ChunkId> chunks) {
    Manifest m =
        new Manifest(
            Manifest.VERSION,
            id,
            "n",
            "FULL",
            "SUCCESS",
            Map.of(),
            Instant.now(),
            Instant.now(),
            Instant.now(),
            List.of(
                new Manifest.Component(
                    "c",
                    "files",
                    "files:/x",
                    "OK",
                    List.of(),
                    0,
                    "",
                    Map.of(),
                    chunks.stream().map(ChunkId::hex).toList(),
                    chunks.stream().map(c -> 1).toList())));
    byte[] sealed = repo.sealManifest(m);
    Repository.storeManifest(primary, id, sealed);
    Repository.storeManifest(replica, id, sealed);
  }

  static List<String> names(MemBackend b, String prefix) {
    List<String> out = new ArrayList<>();
    b.list(prefix, o -> out.add(o.name()));
    return out;
  }

  Pruner pruner() {
    return new Pruner(repo, Map.of("r", replica), Duration.ofSeconds(3), Duration.ofHours(24));
  }

  @Test
  void deleteThenPrune_reclaimsWhatOnlyTheDeletedBackupUsed_atEveryLocation() throws Exception {
    ChunkId shared = chunk(1000);
    ChunkId onlyOld = chunk(5000);
    ChunkId onlyNew = chunk(2000);
    backup("old", List.of(shared, onlyOld));
    backup("new", List.of(shared, onlyNew));

    assertThat(pruner().prune(false).bytesDeleted()).isZero();
    BackupDeletion.delete(List.of(primary, replica), "old", "test");
    Pruner.Report dry = pruner().prune(true);
    assertThat(dry.locations()).allSatisfy(l -> assertThat(l.chunksDeleted()).isEqualTo(1));
    assertThat(primary.exists(RepositoryLayout.chunk(onlyOld)))
        .as("dry run deletes nothing")
        .isTrue();

    Pruner.Report r = pruner().prune(false);

    assertThat(r.locations()).hasSize(2);
    assertThat(r.locations()).allSatisfy(l -> assertThat(l.chunksDeleted()).isEqualTo(1));
    for (MemBackend b : List.of(primary, replica)) {
      assertThat(b.exists(RepositoryLayout.chunk(onlyOld))).isFalse();
      assertThat(b.exists(RepositoryLayout.chunk(shared))).isTrue();
      assertThat(b.exists(RepositoryLayout.chunk(onlyNew))).isTrue();
    }
    assertThat(BackupDeletion.deleted(primary, "old")).get().asString().contains("test");
    assertThat(primary.exists(RepositoryLayout.manifest("old"))).isFalse();
    assertThat(names(primary, RepositoryLocks.PREFIX)).isEmpty();
  }

  @Test
  void aPruneThatDiesHalfWay_leavesARepositoryThatVerifies_andTheNextOneFinishes()
      throws Exception {
    ChunkId a = chunk(100);
    List<ChunkId> garbage = List.of(chunk(200), chunk(300), chunk(400), chunk(500));
    backup("a", List.of(a));
    java.util.concurrent.atomic.AtomicInteger deletes =
        new java.util.concurrent.atomic.AtomicInteger();
    io.lifeboat.core.storage.decorate.DecoratedBackend dying =
        new io.lifeboat.core.storage.decorate.DecoratedBackend() {
          @Override
          public io.lifeboat.core.storage.Backend inner() {
            return primary;
          }

          @Override
          public boolean putIfAbsent(String name, byte[] data) {
            return primary.putIfAbsent(name, data);
          }

          @Override
          public byte[] get(String name) {
            return primary.get(name);
          }

          @Override
          public byte[] get(String name, long offset, int length) {
            return primary.get(name, offset, length);
          }

          @Override
          public java.util.OptionalLong size(String name) {
            return primary.size(name);
          }

          @Override
          public void list(
              String prefix,
              java.util.function.Consumer<io.lifeboat.core.storage.ObjectInfo> each) {
            primary.list(prefix, each);
          }

          @Override
          public boolean delete(String name) {
            if (name.startsWith(RepositoryLayout.CHUNKS) && deletes.incrementAndGet() == 3) {
              throw new IllegalStateException("killed");
            }
            return primary.delete(name);
          }
        };
    Repository viaDying = Repository.open(dying, key);

    assertThatThrownBy(
            () ->
                new Pruner(viaDying, Map.of(), Duration.ofSeconds(3), Duration.ofHours(24))
                    .prune(false))
        .hasMessageContaining("killed");

    assertThat(primary.exists(RepositoryLayout.chunk(a)))
        .as("what a backup uses is never touched")
        .isTrue();
    assertThat(repo.loadChunk(a)).hasSize(100);
    Pruner.Report again =
        new Pruner(repo, Map.of(), Duration.ofSeconds(3), Duration.ofHours(24)).prune(false);
    assertThat(again.locations().get(0).chunksDeleted()).isEqualTo(2);
    for (ChunkId g : garbage) {
      assertThat(primary.exists(RepositoryLayout.chunk(g))).isFalse();
    }
  }

  @Test
  void aDamagedManifest_stopsPruneBeforeItDeletesAnything() {
    ChunkId a = chunk(100);
    chunk(200); // garbage
    backup("a", List.of(a));
    byte[] bytes = primary.get(RepositoryLayout.manifest("a"));
    bytes[bytes.length / 2] ^= 1;
    primary.tamper(RepositoryLayout.manifest("a"), bytes);

    assertThatThrownBy(() -> pruner().prune(false))
        .hasMessageContaining("cannot be read")
        .hasMessageContaining("nothing was deleted");
    assertThat(names(primary, RepositoryLayout.CHUNKS)).hasSize(2);
  }

  @Test
  void waitsForRunningBackups_andGivesUpWithoutDeleting() {
    chunk(300); // garbage
    new RepositoryLocks(primary).lockBackup("running-1");

    assertThatThrownBy(() -> pruner().prune(false))
        .hasMessageContaining("still running")
        .hasMessageContaining("nothing was deleted");
    assertThat(names(primary, RepositoryLayout.CHUNKS)).hasSize(1);
    assertThat(new RepositoryLocks(primary).runningPrune()).as("lock released").isEmpty();
  }

  @Test
  void aBackupDoesNotStartWhilePruneHoldsTheLock_andAStaleLockStopsHolding() throws Exception {
    RepositoryLocks locks = new RepositoryLocks(primary);
    try (RepositoryLocks.PruneLock held = locks.lockPrune()) {
      assertThatThrownBy(() -> locks.lockBackupWhenNoPrune("b-1", Duration.ZERO))
          .hasMessageContaining("prune");
      assertThat(locks.runningBackups()).as("withdrawn").isEmpty();
      assertThatThrownBy(locks::lockPrune).hasMessageContaining("another prune");
      held.refresh();
      assertThat(locks.runningPrune()).isPresent();
    }
    locks.lockBackupWhenNoPrune("b-1", Duration.ZERO);
    assertThat(locks.runningBackups()).hasSize(1);

    RepositoryLocks old =
        new RepositoryLocks(
            primary, () -> Instant.now().minus(RepositoryLocks.PRUNE_STALE).minusSeconds(5));
    old.lockPrune(); // never closed: a prune that died
    assertThat(new RepositoryLocks(primary).runningPrune()).as("stale").isEmpty();
  }
}
