package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.events.Alert;
import io.lifeboat.events.Topics;
import io.lifeboat.testkit.TreeFixture;
import io.lifeboat.testkit.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Damage in the repository, as bit rot or a bad copy leaves it: a rotted chunk that a new backup
 * would reuse fails that backup (never a false SUCCESS), is alerted by name and quarantined, and
 * the next backup heals the older ones; a damaged old manifest does not stand in the way of {@code
 * latest}.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class DamagedRepositoryIT {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final JsonMapper JSON = JsonMapper.builder().build();
  static LocalPipeline pipeline;
  static Path repoDir;

  @BeforeAll
  static void start() throws Exception {
    pipeline = LocalPipeline.start("damage", null, 0, Map.of());
    repoDir = pipeline.repoDir();
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  static Cli.Result lifeboat(String... args) {
    return pipeline.cli(args);
  }

  static JsonNode backup(Path source, String name, int expectedExit) {
    Cli.Result r =
        lifeboat(
            "backup", "files:" + source, "--name", name, "--wait", "--json", "--timeout", "PT3M");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(expectedExit);
    return JSON.readTree(r.out());
  }

  static List<Path> chunkFiles() throws Exception {
    try (Stream<Path> files = Files.walk(repoDir.resolve("chunks"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void rottedChunk_failsTheNextBackup_isAlertedByName_andTheBackupAfterHealsTheOldOnes()
      throws Exception {
    Path source =
        TreeFixture.createTrickyTree(
            Files.createTempDirectory(Path.of("/tmp"), "lifeboat-rot").resolve("data"), 512 * 1024);
    String name = "rot-" + RUN;
    List<Path> before = chunkFiles();
    String first = backup(source, name, ExitCodes.OK).get("backupId").asString();
    // a chunk of this backup (the repository also holds the other test's chunks, and chunk names
    // are keyed hashes: the first name in the folder is anyone's)
    Path rotted = chunkFiles().stream().filter(c -> !before.contains(c)).findFirst().orElseThrow();
    String chunkHex = rotted.getFileName().toString();
    TreeFixture.flipOneByte(rotted, Files.size(rotted) / 2); // same size, same mtime

    JsonNode second = backup(source, name, ExitCodes.FAILED);

    assertThat(second.get("reason").asString())
        .contains("damaged in storage")
        .contains(chunkHex)
        .contains("next backup");
    List<Alert> alerts =
        RecoveryEvents.all(Topics.ALERTS).stream()
            .filter(a -> a.getKind().equals("storage.chunk-damaged"))
            .filter(a -> a.getMessage().contains(chunkHex))
            .toList();
    assertThat(alerts).hasSize(1);
    assertThat(Files.exists(rotted)).as("moved out of the way").isFalse();
    try (Stream<Path> q = Files.list(repoDir.resolve(RepositoryLayout.QUARANTINE))) {
      assertThat(q.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(chunkHex));
    }

    // the next backup of the same data stores the chunk again ...
    JsonNode third = backup(source, name, ExitCodes.OK);
    assertThat(third.get("newChunks").asInt()).isPositive();
    // ... which heals the first backup: it restores byte for byte
    Path target = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-rot-restore");
    Cli.Result restore = lifeboat("restore", first, "--to", target.toString(), "--force");
    assertThat(restore.exit()).as(restore.out() + restore.err()).isZero();
    assertThat(RecoveryEndToEndIT.withoutRoot(TreeSnapshot.of(target)))
        .isEqualTo(RecoveryEndToEndIT.withoutRoot(TreeSnapshot.of(source)));
  }

  @Test
  void damagedOldManifest_doesNotStopLatest_andIsNamed() throws Exception {
    Path source = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-manifest");
    Files.writeString(source.resolve("a.txt"), "first " + RUN);
    String older = backup(source, "manifest-" + RUN, ExitCodes.OK).get("backupId").asString();
    Files.writeString(source.resolve("a.txt"), "second " + RUN);
    String newer = backup(source, "manifest-" + RUN, ExitCodes.OK).get("backupId").asString();
    Path manifest = repoDir.resolve(RepositoryLayout.manifest(older));
    TreeFixture.flipOneByte(manifest, Files.size(manifest) / 2);

    Cli.Result verify = lifeboat("verify", "latest");

    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.err()).contains("skipped").contains(older);
    Path target = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-manifest-restore");
    Cli.Result restore = lifeboat("restore", "latest", "--to", target.toString(), "--force");
    assertThat(restore.exit()).as(restore.out() + restore.err()).isZero();
    assertThat(restore.out()).contains(newer);
    Cli.Result list = lifeboat("list", "--name", "manifest-" + RUN);
    assertThat(list.exit()).as(list.out() + list.err()).isZero();
    assertThat(list.out()).contains(older).contains(newer);
    Cli.Result named = lifeboat("verify", older);
    assertThat(named.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(named.err()).contains("damaged");
  }
}
