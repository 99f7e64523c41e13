package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.local.LocalBackend;
import io.lifeboat.core.verify.Verifier;
import io.lifeboat.testkit.TestBroker;
import io.lifeboat.testkit.TreeFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/**
 * Storage that fails a quarter of its calls (before or after doing the work) under the whole
 * pipeline: retries carry the backup through, and the repository ends up with every chunk exactly
 * once, nothing half-written, everything authentic.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class FlakyStorageIT {

  @Test
  void backup_overStorageFailingAQuarterOfItsCalls_losesAndDuplicatesNothing() throws Exception {
    Path home = Files.createTempDirectory("lifeboat-flaky");
    Path repoDir = home.resolve("repository");
    Path keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    Repository.init(
        new LocalBackend(repoDir, false),
        key,
        new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, 5L));
    String flaky = "flaky:" + repoDir + "?rate=0.25&seed=7&retries=12";
    Path source =
        TreeFixture.createTrickyTree(
            Files.createTempDirectory("lifeboat-sources").resolve("source"),
            3 * 1024 * 1024); // outside the home: the dump stage never reads Lifeboat's home

    String backupId;
    try (AllInOne lifeboat =
        AllInOne.start(
            new AllInOne.Options(
                home,
                flaky,
                List.of(),
                keyFile,
                0,
                0,
                TestBroker.bootstrapServers(),
                Map.of("lifeboat.catalog.application-id", "catalog-flaky-" + System.nanoTime())),
            System.out)) {
      Cli.Result r =
          Cli.run(
              "backup",
              "files:" + source,
              "--name",
              "flaky",
              "--wait",
              "--json",
              "--bootstrap",
              TestBroker.bootstrapServers(),
              "--repo",
              flaky,
              "--key-file",
              keyFile.toString());
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      // the stages' logs went to the captured standard error while the command ran: faults were
      // injected into storage calls and retried
      assertThat(r.err()).contains("injected fault").contains("retrying in");
      backupId = JsonMapper.builder().build().readTree(r.out()).get("backupId").asString();
    }

    Repository repo = Repository.open(new LocalBackend(repoDir, false), key);
    Manifest m = repo.readManifest(backupId);
    Set<String> referenced = new HashSet<>(m.components().get(0).chunks());
    Set<String> stored = new HashSet<>();
    try (Stream<Path> files = Files.walk(repoDir.resolve("chunks"))) {
      files.filter(Files::isRegularFile).forEach(p -> stored.add(p.getFileName().toString()));
    }
    assertThat(stored)
        .as("every chunk stored once, nothing else (no temp files)")
        .isEqualTo(referenced);
    try (Verifier v = new Verifier(repo, 2)) {
      assertThat(v.verify(m).ok()).isTrue();
    }
  }
}
