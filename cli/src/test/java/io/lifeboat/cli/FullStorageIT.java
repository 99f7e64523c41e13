package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.Alert;
import io.lifeboat.events.Topics;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.TreeFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A full repository (a size-limited store): a backup that does not fit ends FAILED with the reason
 * and one alert, at once rather than after the no-progress timeout; the next backup is not held up
 * by it; once space is freed, the chunks that went to the dead-letter topic are replayed and a new
 * backup succeeds.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class FullStorageIT {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final JsonMapper JSON = JsonMapper.builder().build();
  static LocalPipeline pipeline;
  static Path limit;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("lifeboat-full-limit");
    limit = dir.resolve("quota");
    Files.writeString(limit, "100000"); // about 100 kB: the config and a few small chunks
    pipeline =
        LocalPipeline.start(
            "full",
            repoDir -> "quota:" + repoDir + "?limitFile=" + limit, // a size-limited store
            0,
            // a no-progress timeout far longer than this test may take: the backup must fail on
            // the storage's refusal, not on the clock
            Map.of("lifeboat.stage.verify.no-progress-timeout", "1h"));
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

  @Test
  void aBackupThatDoesNotFit_failsAtOnceWithTheReason_andReplayedChunksMakeTheNextOneSucceed()
      throws Exception {
    Path big =
        TreeFixture.createTrickyTree(
            Files.createTempDirectory("lifeboat-sources").resolve("big"), 2 * 1024 * 1024);

    Cli.Result full =
        lifeboat(
            "backup",
            "files:" + big,
            "--name",
            "big-" + RUN,
            "--wait",
            "--json",
            "--timeout",
            "PT4M");

    assertThat(full.exit()).as(full.out() + full.err()).isEqualTo(ExitCodes.FAILED);
    JsonNode failed = JSON.readTree(full.out());
    assertThat(failed.get("reason").asString()).contains("the storage is full");
    String backupId = failed.get("backupId").asString();
    List<Alert> alerts =
        RecoveryEvents.all(Topics.ALERTS).stream()
            .filter(a -> a.getSubject().equals(backupId))
            .toList();
    assertThat(alerts)
        .filteredOn(a -> a.getKind().equals("storage.write-failed"))
        .singleElement()
        .satisfies(a -> assertThat(a.getLabels()).containsEntry("reason", "full"));

    // a small backup while the storage is still full is answered too, not held up. The limit
    // drops to nothing, so not even the backup's lock fits (the last bytes of space a full
    // backup leaves behind vary from run to run: before this, the small backup's lock sometimes
    // fitted and sometimes not, and when it did not, nobody answered)
    Files.writeString(limit, "0");
    Path small = Files.createDirectories(big.resolveSibling("small"));
    Files.writeString(small.resolve("note.txt"), "small " + RUN + "\n");
    Cli.Result second =
        lifeboat(
            "backup",
            "files:" + small,
            "--name",
            "small-" + RUN,
            "--wait",
            "--json",
            "--timeout",
            "PT4M");
    assertThat(second.exit()).as(second.out() + second.err()).isEqualTo(ExitCodes.REJECTED);
    assertThat(JSON.readTree(second.out()).get("reason").asString())
        .startsWith("not started: the storage refused the backup's lock")
        .contains("the storage is full");

    // the refused chunks reach the dead-letter topic after their retries (a second or two after
    // the backup failed; the topic also holds other tests' dead letters). Wait for them while the
    // storage is still full: freed space would let the retries in flight succeed instead
    Cli.Result list =
        Eventually.await(
            "this backup's refused chunks on lifeboat.chunks.sealed.dlt",
            () -> lifeboat("dead-letters", "list", "lifeboat.chunks.sealed"),
            r -> r.exit() == 0 && r.out().contains("the storage is full"));
    assertThat(list.out()).contains("the storage is full");

    // space is freed; the dead-lettered chunks go back to the upload stage
    Files.delete(limit); // no limit file: no limit
    Cli.Result replay = lifeboat("dead-letters", "replay", "lifeboat.chunks.sealed");
    assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
    assertThat(replay.out()).containsPattern("replayed [1-9][0-9]* record");

    Cli.Result again =
        lifeboat(
            "backup",
            "files:" + big,
            "--name",
            "big-" + RUN,
            "--wait",
            "--json",
            "--timeout",
            "PT4M");
    assertThat(again.exit()).as(again.out() + again.err()).isZero();
    String goodId = JSON.readTree(again.out()).get("backupId").asString();
    Cli.Result verify = lifeboat("verify", goodId);
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
  }
}
