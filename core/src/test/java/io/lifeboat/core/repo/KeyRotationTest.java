package io.lifeboat.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.mem.MemBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRotationTest {

  static final byte[] DATA = "the backup's bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  final MemBackend primary = new MemBackend(UUID.randomUUID().toString());
  final MemBackend replica = new MemBackend(UUID.randomUUID().toString());
  final MasterKey oldKey = MasterKey.generate();
  Path keyFile;
  ChunkId chunk;

  @BeforeEach
  void repositoryWithABackup() throws Exception {
    keyFile = dir.resolve("key");
    oldKey.writeTo(keyFile);
    Repository repo = Repository.init(primary, oldKey, ChunkerParams.defaults(7L));
    Repository.initReplica(primary, replica);
    chunk = repo.chunkId(DATA, 0, DATA.length);
    byte[] sealed = repo.sealChunk(chunk, DATA, 0, DATA.length, 3);
    repo.storeChunk(chunk, sealed);
    replica.putIfAbsent(RepositoryLayout.chunk(chunk), sealed);
  }

  List<Backend> locations() {
    return List.of(primary, replica);
  }

  @Test
  void afterRotation_theNewKeyReadsEveryBackupEverywhere_andTheOldKeyNothing() throws Exception {
    KeyRotation.Result r = KeyRotation.rotate(locations(), keyFile, step -> {});

    MasterKey newKey = MasterKey.fromFile(keyFile);
    assertThat(newKey).isNotEqualTo(oldKey);
    assertThat(r.from()).isEqualTo(KeySlots.CONFIG_SLOT);
    for (Backend b : locations()) {
      assertThat(Repository.open(b, newKey).loadChunk(chunk)).isEqualTo(DATA);
      assertThatThrownBy(() -> Repository.open(b, oldKey))
          .isInstanceOf(WrongKeyException.class)
          .hasMessageContaining("retired");
    }
    assertThat(KeyRotation.journal(primary)).isNull();
    assertThat(Files.exists(KeyRotation.pending(keyFile))).isFalse();

    // and again: the second key's slot object is retired and removed
    KeyRotation.rotate(locations(), keyFile, step -> {});
    MasterKey third = MasterKey.fromFile(keyFile);
    for (Backend b : locations()) {
      assertThat(Repository.open(b, third).loadChunk(chunk)).isEqualTo(DATA);
      assertThatThrownBy(() -> Repository.open(b, newKey)).hasMessageContaining("retired");
      assertThat(b.exists(RepositoryLayout.KEYS + r.to())).isFalse();
    }
  }

  @Test
  void aVaultKey_opensTheRepository_andSurvivesRotation() throws Exception {
    MasterKey vault = MasterKey.generate();
    KeySlots.addKey(locations(), oldKey, vault, "vault");
    KeyRotation.rotate(locations(), keyFile, step -> {});
    for (Backend b : locations()) {
      assertThat(Repository.open(b, vault).loadChunk(chunk)).isEqualTo(DATA);
    }
    assertThat(KeySlots.list(primary).values()).extracting(KeySlot::label).contains("vault");
  }

  @Test
  void aReplicaMadeAfterRotation_opensWithTheNewKeyOnly() throws Exception {
    KeyRotation.rotate(locations(), keyFile, step -> {});
    MemBackend late = new MemBackend(UUID.randomUUID().toString());
    Repository.initReplica(primary, late);
    assertThat(Repository.open(late, MasterKey.fromFile(keyFile)).slotId()).isNotEqualTo("k1");
    assertThatThrownBy(() -> Repository.open(late, oldKey)).hasMessageContaining("retired");
  }

  /** A crash before any step: the key in the file opens every location, and a re-run finishes. */
  @Test
  void aCrashAtAnyStep_leavesTheFilesKeyOpeningEverything_andARerunFinishes() throws Exception {
    List<String> steps = new ArrayList<>();
    KeyRotation.rotate(locations(), keyFile, steps::add); // a full run, to learn the steps
    assertThat(steps)
        .containsExactly(
            "new key",
            "journal",
            "slot 0",
            "slot 1",
            "switch",
            "retire 0",
            "retire 1",
            "journal removed");
    for (String crashAt : steps) {
      repositoryWithFreshState();
      assertThatThrownBy(
              () ->
                  KeyRotation.rotate(
                      locations(),
                      keyFile,
                      step -> {
                        if (step.equals(crashAt)) {
                          throw new IllegalStateException("crash at " + step);
                        }
                      }))
          .hasMessageContaining("crash at " + crashAt);
      MasterKey inFile = MasterKey.fromFile(keyFile);
      for (Backend b : locations()) {
        assertThat(Repository.open(b, inFile).loadChunk(chunk)).as(crashAt).isEqualTo(DATA);
      }
      KeyRotation.rotate(locations(), keyFile, step -> {});
      MasterKey finalKey = MasterKey.fromFile(keyFile);
      assertThat(finalKey).as(crashAt).isNotEqualTo(oldKey);
      for (Backend b : locations()) {
        assertThat(Repository.open(b, finalKey).loadChunk(chunk)).isEqualTo(DATA);
        assertThatThrownBy(() -> Repository.open(b, oldKey))
            .as(crashAt)
            .isInstanceOf(WrongKeyException.class);
      }
      assertThat(KeyRotation.journal(primary)).as(crashAt).isNull();
    }
  }

  /** Starts over: a new repository in the same backends (cleared) and the old key in the file. */
  private void repositoryWithFreshState() throws Exception {
    for (MemBackend b : List.of(primary, replica)) {
      List<String> names = new ArrayList<>();
      b.list("", o -> names.add(o.name()));
      names.forEach(b::delete);
    }
    Files.deleteIfExists(keyFile);
    Files.deleteIfExists(KeyRotation.pending(keyFile));
    repositoryWithABackup();
  }
}
