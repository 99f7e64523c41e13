package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.storage.local.LocalBackend;
import io.lifeboat.testkit.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deleting, forgetting and pruning through the command line against the running pipeline, with a
 * replica: space comes back at every location, what remains verifies and restores, and prune
 * running while dedup-heavy backups run never leaves a committed backup with a missing chunk.
 */
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class MaintenanceIT {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final JsonMapper JSON = JsonMapper.builder().build();
  static LocalPipeline pipeline;
  static Path repoDir;
  static Path replicaDir;

  @BeforeAll
  static void start() throws Exception {
    pipeline =
        LocalPipeline.start(
            "maint", null, 1, Map.of("lifeboat.recovery.executor.command-checks", "true"));
    repoDir = pipeline.repoDir();
    replicaDir = Path.of(pipeline.replicas().get(0));
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

  static String backup(Path source, String name) {
    Cli.Result r =
        lifeboat(
            "backup", "files:" + source, "--name", name, "--wait", "--json", "--timeout", "PT3M");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    return JSON.readTree(r.out()).get("backupId").asString();
  }

  static long chunkBytes(Path repo) throws Exception {
    try (Stream<Path> s = Files.walk(repo.resolve("chunks"))) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static void write(Path file, int bytes, long seed) throws Exception {
    byte[] b = new byte[bytes];
    new Random(seed).nextBytes(b);
    Files.createDirectories(file.getParent());
    Files.write(file, b);
  }

  @Test
  void deleteThenPrune_reclaimsAtEveryLocation_andTheRestVerifiesAndRestores() throws Exception {
    Path src = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-maint-a");
    write(src.resolve("kept.bin"), 600_000, 1);
    write(src.resolve("gone.bin"), 900_000, 2);
    String old = backup(src, "maint-" + RUN);
    Files.delete(src.resolve("gone.bin"));
    write(src.resolve("new.bin"), 300_000, 3);
    String current = backup(src, "maint-" + RUN);
    long primaryBefore = chunkBytes(repoDir);
    long replicaBefore = chunkBytes(replicaDir);

    Cli.Result statsBefore = lifeboat("stats", "--json");
    assertThat(statsBefore.exit()).as(statsBefore.out() + statsBefore.err()).isZero();
    Cli.Result delete = lifeboat("delete", old, "--reason", "test " + RUN);
    assertThat(delete.exit()).as(delete.out() + delete.err()).isZero();
    JsonNode stats = JSON.readTree(lifeboat("stats", "--json").out());
    long reclaimable = stats.get("reclaimableBytes").asLong();
    assertThat(reclaimable - JSON.readTree(statsBefore.out()).get("reclaimableBytes").asLong())
        .as("what only the deleted backup used becomes reclaimable")
        .isGreaterThan(800_000);
    assertThat(stats.get("byName").get("maint-" + RUN).get("backups").asInt()).isEqualTo(1);
    Cli.Result dry = lifeboat("prune", "--dry-run");
    assertThat(dry.exit()).as(dry.out() + dry.err()).isZero();
    assertThat(dry.out()).contains("would delete").contains("nothing was deleted");
    assertThat(chunkBytes(repoDir)).isEqualTo(primaryBefore);
    Cli.Result prune = lifeboat("prune", "--json");

    assertThat(prune.exit()).as(prune.out() + prune.err()).isZero();
    JsonNode report = JSON.readTree(prune.out());
    assertThat(report.get("locations")).hasSize(2);
    // gone.bin (900 kB, incompressible) was only in the deleted backup
    assertThat(primaryBefore - chunkBytes(repoDir)).isGreaterThan(800_000);
    assertThat(replicaBefore - chunkBytes(replicaDir)).isGreaterThan(800_000);
    Cli.Result verify = lifeboat("verify", current);
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    Path target = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-maint-restore");
    Cli.Result restore = lifeboat("restore", current, "--to", target.toString(), "--force");
    assertThat(restore.exit()).as(restore.out() + restore.err()).isZero();
    assertThat(RecoveryEndToEndIT.withoutRoot(TreeSnapshot.of(target)))
        .isEqualTo(RecoveryEndToEndIT.withoutRoot(TreeSnapshot.of(src)));
    Cli.Result deleted = lifeboat("restore", old, "--to", target.resolve("x").toString());
    assertThat(deleted.exit()).isNotZero();
    assertThat(deleted.err()).contains("was deleted").contains("test " + RUN);
    // the catalog shows it
    io.lifeboat.model.CatalogClient catalog =
        new io.lifeboat.model.CatalogClient(pipeline.lifeboat().apiUrl());
    io.lifeboat.testkit.Eventually.until(
        "the catalog to show " + old + " DELETED",
        () -> catalog.get(old).map(v -> "DELETED".equals(v.status())).orElse(false));
    assertThat(catalog.get(old).orElseThrow().reason()).contains("test " + RUN);
  }

  @Test
  void cancel_stopsARunningBackup_commitsNothing_andRefusesAnEndedOne() throws Exception {
    Path src = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-maint-cancel");
    write(src.resolve("small/a.bin"), 1000, 5);
    Path big = Files.createDirectories(src.resolve("big"));
    for (int i = 0; i < 12; i++) {
      write(big.resolve("part" + i + ".bin"), 25_000_000, 500 + i); // 300 MB, incompressible
    }
    Cli.Result started =
        lifeboat(
            "backup",
            "files:" + src.resolve("small"),
            "files:" + big,
            "--name",
            "cancel-" + RUN,
            "--json");
    assertThat(started.exit()).as(started.out() + started.err()).isZero();
    String id = JSON.readTree(started.out()).get("backupId").asString();
    io.lifeboat.model.CatalogClient catalog =
        new io.lifeboat.model.CatalogClient(pipeline.lifeboat().apiUrl());
    io.lifeboat.testkit.Eventually.until(
        "backup " + id + " to be running (its first component dumped)",
        () -> catalog.get(id).map(v -> "RUNNING".equals(v.status())).orElse(false));

    long t0 = System.nanoTime();
    Cli.Result cancel = lifeboat("cancel", id, "--reason", "test " + RUN);
    long tookMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(cancel.exit()).as(cancel.out() + cancel.err()).isZero();
    assertThat(cancel.out()).contains("CANCELLED").contains("test " + RUN);
    System.out.println("cancel took " + tookMs + " ms from request to CANCELLED");
    assertThat(Files.exists(repoDir.resolve("manifests/" + id))).as("nothing committed").isFalse();
    io.lifeboat.testkit.Eventually.until(
        "the catalog to show " + id + " CANCELLED",
        () -> catalog.get(id).map(v -> "CANCELLED".equals(v.status())).orElse(false));
    assertThat(
            new io.lifeboat.core.prune.RepositoryLocks(new LocalBackend(repoDir, false))
                .runningBackups())
        .as("its hold against prune is released")
        .noneMatch(h -> h.name().endsWith(id));

    Cli.Result again = lifeboat("cancel", id);
    assertThat(again.exit()).isEqualTo(ExitCodes.REJECTED);
    assertThat(again.err()).contains("already ended CANCELLED");
  }

  @Test
  void forget_keepsTheBackupARunningRecoveryReads() throws Exception {
    Path src = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-maint-r").resolve("app");
    String name = "inuse-" + RUN;
    write(src.resolve("a.bin"), 5_000, 7);
    String old = backup(src, name);
    write(src.resolve("b.bin"), 5_000, 8);
    backup(src, name);
    Path gate = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-gate").resolve("open");
    Path target = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-maint-t").resolve("app");
    Path plan = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-plan").resolve("plan.yaml");
    Files.writeString(
        plan,
        """
        name: %s
        components:
          - name: files
            target: %s
        checks:
          - name: held
            command: "while [ ! -e '%s' ]; do sleep 0.1; done"
        """
            .formatted(name, target, gate));
    Cli.Result created = lifeboat("plan", "create", plan.toString());
    assertThat(created.out()).as(created.out() + created.err()).contains("saved");
    Cli.Result started = lifeboat("recover", name, "--backup", old, "--no-wait");
    assertThat(started.exit()).as(started.out() + started.err()).isZero();
    String execution = started.out().strip();
    try {
      io.lifeboat.testkit.Eventually.until(
          "the recovery to run its held check",
          () -> {
            Cli.Result st = lifeboat("recover", "status", execution);
            return st.out().contains("RUNNING");
          });

      Cli.Result dry = lifeboat("forget", "--name", name, "--keep-last", "1", "--dry-run");

      assertThat(dry.exit()).as(dry.out() + dry.err()).isZero();
      assertThat(dry.out()).contains("keep   " + old).contains("in use by recovery " + execution);
    } finally {
      Files.createFile(gate);
    }
    Cli.Result finished = lifeboat("recover", "status", execution, "--follow");
    assertThat(finished.out()).as(finished.out() + finished.err()).contains("SUCCEEDED");
    Cli.Result after = lifeboat("forget", "--name", name, "--keep-last", "1", "--dry-run");
    assertThat(after.out()).contains("would remove " + old);
  }

  @Test
  void forget_dryRunSaysWhy_thenKeepsWhatTheRuleSays() throws Exception {
    Path src = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-maint-f");
    String name = "forget-" + RUN;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      write(src.resolve("f" + i + ".bin"), 10_000, 100 + i);
      ids.add(backup(src, name));
    }

    Cli.Result dry = lifeboat("forget", "--name", name, "--keep-last", "2", "--dry-run");

    assertThat(dry.exit()).as(dry.out() + dry.err()).isZero();
    assertThat(dry.out())
        .contains("keep   " + ids.get(2))
        .contains("last 2")
        .contains("would remove " + ids.get(0))
        .contains("no rule of --keep-last 2 keeps it");
    Cli.Result real = lifeboat("forget", "--name", name, "--keep-last", "2");
    assertThat(real.exit()).as(real.out() + real.err()).isZero();
    assertThat(Files.exists(repoDir.resolve("manifests/" + ids.get(0)))).isFalse();
    assertThat(Files.exists(replicaDir.resolve("manifests/" + ids.get(0)))).isFalse();
    assertThat(Files.exists(repoDir.resolve("manifests/" + ids.get(1)))).isTrue();
  }

  @Test
  void pruneRacingDedupHeavyBackups_neverLeavesACommittedBackupWithAMissingChunk()
      throws Exception {
    Path src = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-maint-race");
    for (int i = 0; i < 8; i++) {
      write(src.resolve("base" + i + ".bin"), 200_000, 1000 + i);
    }
    String name = "race-" + RUN;
    List<String> committed = new java.util.concurrent.CopyOnWriteArrayList<>();
    committed.add(backup(src, name));
    AtomicBoolean stop = new AtomicBoolean();
    List<String> pruneErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> pruneOutputs = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread pruner =
        new Thread(
            () -> {
              while (!stop.get()) {
                // forget all but the newest two, then prune: the chunks of the forgotten ones
                // are exactly what the next backup deduplicates against
                Cli.Result f = lifeboat("forget", "--name", name, "--keep-last", "2");
                Cli.Result p = lifeboat("prune", "--wait-for-backups", "PT2M");
                if (f.exit() != 0 || p.exit() != 0) {
                  pruneErrors.add(f.err() + p.err());
                }
                pruneOutputs.add(p.out());
              }
            },
            "test-pruner");
    pruner.start();
    try {
      for (int round = 0; round < 6; round++) {
        // each round brings back a file an earlier round removed: dedup against pruned chunks
        int gone = round % 8;
        Files.deleteIfExists(src.resolve("base" + gone + ".bin"));
        write(src.resolve("base" + ((round + 4) % 8) + ".bin"), 200_000, 1000 + (round + 4) % 8);
        committed.add(backup(src, name));
      }
    } finally {
      stop.set(true);
      pruner.join(180_000);
    }
    assertThat(pruneErrors).isEmpty();
    assertThat(pruneOutputs)
        .as("prunes that reclaimed chunks while backups ran")
        .anyMatch(o -> o.matches("(?s).*: deleted [1-9][0-9]* chunk.*"));
    // every backup that still has a manifest verifies: none points at a pruned chunk
    try (Stream<Path> m = Files.list(repoDir.resolve("manifests"))) {
      for (Path manifest : m.toList()) {
        String id = manifest.getFileName().toString();
        Cli.Result v = lifeboat("verify", id);
        assertThat(v.exit()).as("verify %s: %s%s", id, v.out(), v.err()).isZero();
      }
    }
  }
}
