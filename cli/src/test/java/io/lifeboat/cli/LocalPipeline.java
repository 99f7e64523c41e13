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
import java.util.UUID;

/**
 * The whole pipeline in this JVM against the test broker, on a fresh home with a local repository
 * (small chunks: 16/64/256 KiB), for the fault and maintenance tests; {@link #cli} runs the command
 * line against it.
 *
 * @param location the repository location the stages and the command line use
 * @param replicas replica locations (each a local folder)
 */
record LocalPipeline(
    AllInOne lifeboat, Path home, Path repoDir, String location, List<String> replicas)
    implements AutoCloseable {

  /**
   * @param name prefix of the temporary home and of the Streams application ids
   * @param location the repository location made from the repository folder (to wrap it in a
   *     decorator), or null for the folder itself
   * @param replicaCount local replica folders to create
   * @param properties more Spring properties
   */
  static LocalPipeline start(
      String name,
      java.util.function.@org.jspecify.annotations.Nullable Function<Path, String> location,
      int replicaCount,
      Map<String, String> properties)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path home = Files.createTempDirectory("lifeboat-" + name);
    Path repoDir = home.resolve("repository");
    Path keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    LocalBackend primary = new LocalBackend(repoDir, false);
    Repository.init(primary, key, new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, 9L));
    List<String> replicas = new ArrayList<>();
    for (int i = 0; i < replicaCount; i++) {
      Path dir = Files.createDirectories(home.resolve("replica-" + i));
      Repository.initReplica(primary, new LocalBackend(dir, true));
      replicas.add(dir.toString());
    }
    Map<String, Object> props = new HashMap<>(properties);
    props.put("lifeboat.catalog.application-id", "catalog-" + name + "-" + run);
    props.put("lifeboat.recovery.coordinator.application-id", "coordinator-" + name + "-" + run);
    props.put("lifeboat.scheduler.application-id", "scheduler-" + name + "-" + run);
    String where = location != null ? location.apply(repoDir) : repoDir.toString();
    AllInOne lifeboat =
        AllInOne.start(
            new AllInOne.Options(
                home, where, replicas, keyFile, 0, 0, TestBroker.bootstrapServers(), props),
            System.out);
    return new LocalPipeline(lifeboat, home, repoDir, where, replicas);
  }

  /** The command line against this pipeline. */
  Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--home",
            home.toString(),
            "--repo",
            location,
            "--key-file",
            home.resolve("key").toString(),
            "--bootstrap",
            TestBroker.bootstrapServers(),
            "--api",
            lifeboat.apiUrl()));
    replicas.forEach(r -> all.addAll(List.of("--replica", r)));
    return Cli.run(all.toArray(String[]::new));
  }

  @Override
  public void close() {
    lifeboat.close();
  }
}
