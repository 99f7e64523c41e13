package io.lifeboat.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.core.testing.BlobProvider;
import io.lifeboat.core.testing.DirectBackup;
import io.lifeboat.core.verify.Verifier;
import io.lifeboat.core.verify.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreAndVerifyTest {

  @TempDir Path dir;
  MemBackend backend;
  Repository repo;
  Path source;
  Manifest manifest;

  @BeforeEach
  void backup() throws Exception {
    backend = new MemBackend(UUID.randomUUID().toString());
    repo =
        Repository.init(backend, MasterKey.generate(), new ChunkerParams(4096, 16384, 65536, 9L));
    byte[] data = new byte[500_000];
    new Random(3).nextBytes(data);
    source = dir.resolve("source.bin");
    Files.write(source, data);
    manifest = DirectBackup.run(repo, new BlobProvider(), "blob:" + source, "b-1").manifest();
  }

  Restorer restorer() {
    return new Restorer(repo, ProviderRegistry.of(new BlobProvider()), 2);
  }

  @Test
  void restore_writesTheSameBytes() throws Exception {
    Path target = dir.resolve("restored.bin");
    try (Restorer r = restorer()) {
      RestoreReport report =
          r.restore(manifest, Map.of("blob", new RestoreTarget(target.toString())));
      assertThat(report.bytes()).isEqualTo(500_000);
    }
    assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(source));
  }

  @Test
  void restore_intoOccupiedTarget_isRefusedBeforeReadingAnything() throws Exception {
    Path target = dir.resolve("occupied.bin");
    Files.writeString(target, "keep me");
    try (Restorer r = restorer()) {
      assertThatThrownBy(
              () -> r.restore(manifest, Map.of("blob", new RestoreTarget(target.toString()))))
          .isInstanceOf(RestoreException.class)
          .hasMessageContaining("exists");
    }
    assertThat(target).hasContent("keep me");
  }

  @Test
  void restore_unknownComponent_isRefused() {
    try (Restorer r = restorer()) {
      assertThatThrownBy(() -> r.restore(manifest, Map.of("db", new RestoreTarget("/tmp/x"))))
          .hasMessageContaining("has no component 'db'");
    }
  }

  @Test
  void verify_intactBackup_isOk() {
    try (Verifier v = new Verifier(repo, 2)) {
      VerifyReport report = v.verify(manifest);
      assertThat(report.ok()).isTrue();
      assertThat(report.chunksChecked()).isEqualTo(manifest.components().get(0).chunks().size());
      assertThat(report.bytesChecked()).isEqualTo(500_000);
    }
  }

  @Test
  void verify_findsEveryDamagedChunk_andRestoreRefusesThem() throws Exception {
    var chunks = manifest.components().get(0).chunks();
    assertThat(chunks.size()).isGreaterThan(5);
    String flipped = chunks.get(2);
    String deleted = chunks.get(4);
    byte[] bytes = backend.get(RepositoryLayout.chunk(flipped));
    bytes[bytes.length / 2] ^= 0x40;
    backend.tamper(RepositoryLayout.chunk(flipped), bytes);
    backend.delete(RepositoryLayout.chunk(deleted));

    try (Verifier v = new Verifier(repo, 2)) {
      VerifyReport report = v.verify(manifest);
      assertThat(report.ok()).isFalse();
      assertThat(report.damaged())
          .extracting(VerifyReport.Damage::chunkId)
          .containsExactly(flipped, deleted);
      assertThat(report.damaged().get(0).reason()).contains("does not authenticate");
      assertThat(report.damaged().get(1).reason()).contains("missing");
    }
    Path target = dir.resolve("restored.bin");
    try (Restorer r = restorer()) {
      assertThatThrownBy(
              () -> r.restore(manifest, Map.of("blob", new RestoreTarget(target.toString()))))
          .hasMessageContaining(flipped);
    }
  }

  @Test
  void smallChange_storesOnlyNearbyChunks() throws Exception {
    byte[] data = Files.readAllBytes(source);
    data[250_000] ^= 1;
    Files.write(source, data);
    var second = DirectBackup.run(repo, new BlobProvider(), "blob:" + source, "b-2");
    assertThat(second.dump().newChunkCount()).isBetween(1, 2);
    assertThat(second.dump().chunkIds().size()).isGreaterThan(10);
  }
}
