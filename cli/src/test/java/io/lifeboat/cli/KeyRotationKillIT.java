package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.KeyRotation;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.repo.WrongKeyException;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.local.LocalBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Key rotation survives kill -9: a child JVM rotates the key of a repository with a replica and is
 * killed (SIGKILL) inside each of its steps in turn. After every kill the key in the key file opens
 * both locations and reads the backup; a second run finishes the rotation, after which the old key
 * opens nothing. Then the same through the command line on a running Lifeboat: a backup made before
 * {@code lifeboat key rotate} restores byte for byte with the new key and not with the old one.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class KeyRotationKillIT {

  static final byte[] DATA =
      "bytes of a backup made before the rotation".getBytes(StandardCharsets.UTF_8);
  static final List<String> STEPS =
      List.of(
          "new key",
          "journal",
          "slot 0",
          "slot 1",
          "switch",
          "retire 0",
          "retire 1",
          "journal removed");

  @Test
  void aKillInAnyStep_leavesTheKeyFileOpeningBothLocations_andARerunFinishes() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("KeyRotationKillIT seed " + seed);
    Random random = new Random(seed);
    List<String> killedIn = new ArrayList<>();
    for (int round = 0; round < 1; round++) {
      for (String step : STEPS) {
        Path dir = Files.createTempDirectory("rotation-kill");
        Path primary = dir.resolve("primary");
        Path replica = dir.resolve("replica");
        Path keyFile = dir.resolve("key");
        MasterKey oldKey = MasterKey.generate();
        oldKey.writeTo(keyFile);
        ChunkId chunk = repositoryWithABackup(primary, replica, oldKey);

        Process child = rotate(primary, replica, keyFile, 40, random.nextLong());
        boolean killed = killAfter(child, step, random.nextInt(40));
        if (killed) {
          killedIn.add(step);
        }
        // whatever the kill interrupted, the key in the file opens both and reads the backup
        MasterKey inFile = MasterKey.fromFile(keyFile);
        for (Backend b : backends(primary, replica)) {
          assertThat(Repository.open(b, inFile).loadChunk(chunk))
              .as("killed in %s, round %d", step, round)
              .isEqualTo(DATA);
        }
        // running it again finishes the rotation: the old key opens nothing any more
        Process again = rotate(primary, replica, keyFile, 0, random.nextLong());
        String out = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(again.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(again.exitValue()).as(out).isZero();
        MasterKey finalKey = MasterKey.fromFile(keyFile);
        assertThat(finalKey).isNotEqualTo(oldKey);
        for (Backend b : backends(primary, replica)) {
          assertThat(Repository.open(b, finalKey).loadChunk(chunk)).isEqualTo(DATA);
          assertThatThrownBy(() -> Repository.open(b, oldKey))
              .as("old key after a kill in %s", step)
              .isInstanceOf(WrongKeyException.class);
        }
        assertThat(KeyRotation.journal(new LocalBackend(primary, false))).isNull();
        assertThat(Files.exists(KeyRotation.pending(keyFile))).isFalse();
      }
    }
    assertThat(killedIn).as("the child was killed in each step").containsAll(STEPS);
  }

  @Test
  void theCommandLine_rotatesTheKeyOfARunningLifeboat_andEveryOldBackupRestoresWithTheNewKey()
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path replicaDir = Files.createTempDirectory("rotation-replica");
    try (RunningLifeboat lifeboat = RunningLifeboat.start("rotate-" + run, Map.of())) {
      Path source = Files.createTempDirectory("rotation-source");
      Files.writeString(source.resolve("app.conf"), "secret = 42\n".repeat(1000));
      Cli.Result b = Cli.run(lifeboat.cli("backup", "files:" + source, "--wait", "--json"));
      assertThat(b.exit()).as(b.out() + b.err()).isZero();
      String id = ApiSession.JSON.readTree(b.out()).get("backupId").asString();
      Cli.Result repair =
          Cli.run(lifeboat.cli("replicate", "--repair", "--replica", replicaDir.toString()));
      assertThat(repair.exit()).as(repair.out() + repair.err()).isZero();
      Path oldKey = lifeboat.home.resolve("old-key");
      Files.copy(lifeboat.keyFile, oldKey);
      Path vault = lifeboat.home.resolve("vault-key");
      Cli.Result add =
          Cli.run(
              lifeboat.cli(
                  "key", "add", "--out", vault.toString(), "--replica", replicaDir.toString()));
      assertThat(add.exit()).as(add.out() + add.err()).isZero();

      Path exported = lifeboat.home.resolve("exported-key");
      Cli.Result export = Cli.run(lifeboat.cli("key", "export", "--out", exported.toString()));
      assertThat(export.exit()).as(export.out() + export.err()).isZero();
      assertThat(MasterKey.fromFile(exported)).isEqualTo(MasterKey.fromFile(lifeboat.keyFile));
      assertThat(Files.getPosixFilePermissions(exported))
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

      Cli.Result rotate =
          Cli.run(lifeboat.cli("key", "rotate", "--replica", replicaDir.toString()));
      assertThat(rotate.exit()).as(rotate.out() + rotate.err()).isZero();
      assertThat(rotate.out()).contains("rotated").contains("Restart");
      assertThat(Files.readString(lifeboat.keyFile)).isNotEqualTo(Files.readString(oldKey));

      for (String repo : List.of(lifeboat.repoDir.toString(), replicaDir.toString())) {
        Path target = Files.createTempDirectory("rotation-restore").resolve("out");
        Cli.Result restored =
            Cli.run(
                direct(lifeboat, repo, lifeboat.keyFile, "restore", id, "--to", target.toString()));
        assertThat(restored.exit()).as(restored.out() + restored.err()).isZero();
        assertThat(Files.readString(target.resolve("app.conf")))
            .isEqualTo(Files.readString(source.resolve("app.conf")));
        Cli.Result withOld =
            Cli.run(direct(lifeboat, repo, oldKey, "restore", id, "--to", target + "-old"));
        assertThat(withOld.exit()).isNotZero();
        assertThat(withOld.err()).contains("retired");
        assertThat(Files.exists(Path.of(target + "-old"))).isFalse();
        Cli.Result withVault = Cli.run(direct(lifeboat, repo, vault, "verify", id));
        assertThat(withVault.exit()).as(withVault.out() + withVault.err()).isZero();
      }
      Cli.Result list = Cli.run(lifeboat.cli("key", "list"));
      assertThat(list.out()).contains("RETIRED").contains("vault").contains("(your key)");
      assertThat(list.out())
          .doesNotContain(
              Files.readString(lifeboat.keyFile)
                  .lines()
                  .filter(l -> !l.startsWith("#"))
                  .findFirst()
                  .orElseThrow());
    }
  }

  /** The command line on one location with one key file (no Kafka, no API needed). */
  static String[] direct(RunningLifeboat lifeboat, String repo, Path keyFile, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--home", lifeboat.home.toString(), "--repo", repo, "--key-file", keyFile.toString()));
    return all.toArray(String[]::new);
  }

  static ChunkId repositoryWithABackup(Path primary, Path replica, MasterKey key) throws Exception {
    LocalBackend p = new LocalBackend(primary, true);
    LocalBackend r = new LocalBackend(replica, true);
    Repository repo = Repository.init(p, key, ChunkerParams.defaults(7L));
    Repository.initReplica(p, r);
    ChunkId chunk = repo.chunkId(DATA, 0, DATA.length);
    byte[] sealed = repo.sealChunk(chunk, DATA, 0, DATA.length, 3);
    repo.storeChunk(chunk, sealed);
    r.putIfAbsent(RepositoryLayout.chunk(chunk), sealed);
    return chunk;
  }

  static List<Backend> backends(Path primary, Path replica) {
    return List.of(new LocalBackend(primary, false), new LocalBackend(replica, false));
  }

  static Process rotate(Path primary, Path replica, Path keyFile, long pauseMs, long seed)
      throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            RotateMain.class.getName(),
            primary.toString(),
            replica.toString(),
            keyFile.toString(),
            Long.toString(pauseMs),
            Long.toString(seed))
        .redirectErrorStream(true)
        .start();
  }

  /**
   * Waits for the child to announce {@code step}, then kills it (SIGKILL) {@code delayMs} later,
   * while it pauses before the step or runs it.
   *
   * @return whether the child was killed in the step (false: it ended first)
   */
  static boolean killAfter(Process child, String step, int delayMs) throws Exception {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.equals("STEP " + step)) {
        Thread.sleep(delayMs);
        child.destroyForcibly();
        child.waitFor(1, TimeUnit.MINUTES);
        return true;
      }
    }
    child.waitFor(1, TimeUnit.MINUTES);
    return false;
  }
}
