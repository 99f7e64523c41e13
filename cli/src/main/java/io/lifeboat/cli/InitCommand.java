package io.lifeboat.cli;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.BackendRegistry;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat init}: creates the master key (if missing) and a repository. */
@Command(
    name = "init",
    description = "Create a repository (and a master key file if there is none).")
final class InitCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Option(
      names = "--chunk-avg-kib",
      defaultValue = "1024",
      description = "Average chunk size in KiB, a power of two (default: ${DEFAULT-VALUE})")
  int avgKib;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    MasterKey key = AllInOne.ensureKey(settings.keyFile(), out);
    out.println("recovery command key: " + AllInOne.ensureCommandKey(settings.home()));
    int avg = avgKib * 1024;
    ChunkerParams params;
    try {
      params =
          new ChunkerParams(
              Math.max(64, avg / 4),
              avg,
              Math.min(ChunkerParams.LIMIT, avg * 4),
              new SecureRandom().nextLong());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, String.valueOf(e.getMessage()));
    }
    try {
      Repository repo =
          Repository.init(BackendRegistry.standard().open(settings.repository()), key, params);
      out.println(
          "created repository "
              + repo.backend().location()
              + " (chunks "
              + params.minSize() / 1024
              + "-"
              + params.avgSize() / 1024
              + "-"
              + params.maxSize() / 1024
              + " KiB)");
      for (String r : settings.replicas()) {
        io.lifeboat.core.repo.Repository.initReplica(
            repo.backend(), BackendRegistry.standard().open(r));
        out.println("made " + r + " a replica of it");
      }
      return ExitCodes.OK;
    } catch (IllegalStateException e) {
      throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
    }
  }
}
