package io.lifeboat.cli;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.local.LocalBackend;
import io.lifeboat.testkit.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code lifeboat up} in this JVM for one test class, on the shared test broker: its own home,
 * repository (small chunks) and key, and its own catalog and coordinator application ids, so that
 * its stores start empty. {@link #cli} gives the command line the options that point at it.
 */
final class RunningLifeboat implements AutoCloseable {

  final Path home;
  final Path repoDir;
  final Path keyFile;
  final AllInOne lifeboat;
  final String api;

  private RunningLifeboat(Path home, Path repoDir, Path keyFile, AllInOne lifeboat) {
    this.home = home;
    this.repoDir = repoDir;
    this.keyFile = keyFile;
    this.lifeboat = lifeboat;
    this.api = lifeboat.apiUrl();
  }

  /**
   * @param run unique per test class (names its application ids and temp folders)
   * @param properties more Spring properties
   */
  static RunningLifeboat start(String run, Map<String, String> properties) throws Exception {
    Path home = Files.createTempDirectory("lifeboat-" + run);
    Path repoDir = home.resolve("repository");
    Path keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    Repository.init(
        new LocalBackend(repoDir, true),
        key,
        new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, 7L));
    Map<String, Object> all = new HashMap<>();
    all.put("lifeboat.catalog.application-id", "catalog-" + run);
    all.put("lifeboat.recovery.coordinator.application-id", "coordinator-" + run);
    all.putAll(properties);
    AllInOne lifeboat =
        AllInOne.start(
            new AllInOne.Options(
                home,
                repoDir.toString(),
                List.of(),
                keyFile,
                0,
                0,
                TestBroker.bootstrapServers(),
                all),
            System.out);
    return new RunningLifeboat(home, repoDir, keyFile, lifeboat);
  }

  /** The command line's arguments, with the options that point at this instance. */
  String[] cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--home",
            home.toString(),
            "--repo",
            repoDir.toString(),
            "--key-file",
            keyFile.toString(),
            "--bootstrap",
            TestBroker.bootstrapServers(),
            "--api",
            api));
    return all.toArray(String[]::new);
  }

  /** The API token that calls which change something need. */
  String token() throws java.io.IOException {
    return AllInOne.ensureApiToken(home);
  }

  @Override
  public void close() {
    lifeboat.close();
  }
}
