package io.lifeboat.core.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.storage.mem.MemBackend;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RepositoryTest {

  final MemBackend backend = new MemBackend(UUID.randomUUID().toString());
  final MasterKey key = MasterKey.generate();
  final Repository repo = Repository.init(backend, key, ChunkerParams.defaults(7L));

  @Test
  void open_withTheKey_givesSameChunkIdsAndParams() throws Exception {
    Repository again = Repository.open(backend, key);
    byte[] data = "abc".getBytes(StandardCharsets.UTF_8);
    assertThat(again.chunkId(data, 0, 3)).isEqualTo(repo.chunkId(data, 0, 3));
    assertThat(again.chunkerParams()).isEqualTo(ChunkerParams.defaults(7L));
  }

  @Test
  void open_withAnotherKey_isWrongKey_andNamesTheSourceNotTheKey() {
    MasterKey other = MasterKey.generate();
    assertThatThrownBy(() -> Repository.open(backend, other))
        .isInstanceOf(WrongKeyException.class)
        .hasMessageContaining("does not open the repository")
        .hasMessageContaining("generated");
  }

  @Test
  void open_whereNothingIs_isRepositoryNotFound() {
    assertThatThrownBy(() -> Repository.open(new MemBackend("empty-" + UUID.randomUUID()), key))
        .isInstanceOf(RepositoryNotFoundException.class)
        .hasMessageContaining("lifeboat init");
  }

  @Test
  void init_twice_isRefused() {
    assertThatThrownBy(() -> Repository.init(backend, key, ChunkerParams.defaults(1L)))
        .hasMessageContaining("exists already");
  }

  @Test
  void config_isPlainJson_withoutSecrets() throws Exception {
    String json = new String(backend.get("config"), StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"format\" : \"lifeboat-repository\"")
        .contains("\"avgSize\" : 1048576");
    assertThat(json).doesNotContain("seed");
  }

  @Test
  void chunk_sealOpen_roundTrips_compressibleAndNot() throws Exception {
    byte[] text = "log line 42\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    byte[] noise = new byte[100_000];
    new Random(1).nextBytes(noise);
    for (byte[] plain : List.of(text, noise)) {
      ChunkId id = repo.chunkId(plain, 0, plain.length);
      byte[] sealed = repo.sealChunk(id, plain, 0, plain.length, 1);
      assertThat(repo.storeChunk(id, sealed)).isTrue();
      assertThat(repo.loadChunk(id)).isEqualTo(plain);
    }
    byte[] sealedText = repo.sealChunk(repo.chunkId(text, 0, text.length), text, 0, text.length, 1);
    assertThat(sealedText.length).isLessThan(text.length / 10);
    assertThat(sealedText[1]).isEqualTo(SealedObjects.ZSTD);
    byte[] sealedNoise =
        repo.sealChunk(repo.chunkId(noise, 0, noise.length), noise, 0, noise.length, 1);
    assertThat(sealedNoise[1]).isEqualTo(SealedObjects.STORED);
  }

  @Test
  void chunk_flippedByte_isDamaged() {
    byte[] plain = "precious".repeat(1000).getBytes(StandardCharsets.UTF_8);
    ChunkId id = repo.chunkId(plain, 0, plain.length);
    byte[] sealed = repo.sealChunk(id, plain, 0, plain.length, 1);
    sealed[sealed.length / 2] ^= 0x01;
    assertThatThrownBy(() -> repo.openChunk(id, sealed))
        .isInstanceOf(DamagedObjectException.class)
        .hasMessageContaining("does not authenticate");
  }

  @Test
  void chunk_storedUnderAnotherId_isDamaged() {
    byte[] a = "chunk a".getBytes(StandardCharsets.UTF_8);
    byte[] b = "chunk b".getBytes(StandardCharsets.UTF_8);
    ChunkId idA = repo.chunkId(a, 0, a.length);
    ChunkId idB = repo.chunkId(b, 0, b.length);
    byte[] sealedA = repo.sealChunk(idA, a, 0, a.length, 1);
    assertThatThrownBy(() -> repo.openChunk(idB, sealedA))
        .isInstanceOf(DamagedObjectException.class);
  }

  @Test
  void manifest_roundTrips_andIsBoundToItsBackupId() throws Exception {
    Manifest m =
        new Manifest(
            1,
            "b-1",
            "nightly",
            "FULL",
            "SUCCESS",
            Map.of("env", "prod"),
            Instant.parse("2026-11-25T01:00:00Z"),
            Instant.parse("2026-11-25T01:00:01Z"),
            Instant.parse("2026-11-25T01:00:09Z"),
            List.of(
                new Manifest.Component(
                    "files",
                    "files",
                    "files:/srv",
                    "OK",
                    List.of(),
                    3,
                    "abc",
                    Map.of("files", "1"),
                    List.of("00".repeat(32)),
                    List.of(3))));
    byte[] sealed = repo.sealManifest(m);
    Repository.storeManifest(backend, "b-1", sealed);

    assertThat(repo.readManifest("b-1")).isEqualTo(m);
    assertThat(repo.listManifests()).containsExactly("b-1");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("nightly");

    backend.putIfAbsent("manifests/b-2", sealed);
    assertThatThrownBy(() -> repo.readManifest("b-2")).isInstanceOf(DamagedObjectException.class);
  }

  @Test
  void listChunks_findsStoredIds() {
    byte[] plain = "x".getBytes(StandardCharsets.UTF_8);
    ChunkId id = repo.chunkId(plain, 0, 1);
    repo.storeChunk(id, repo.sealChunk(id, plain, 0, 1, 1));
    assertThat(repo.listChunks()).containsExactly(id);
  }
}
