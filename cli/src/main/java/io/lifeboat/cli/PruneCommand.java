package io.lifeboat.cli;

import io.lifeboat.core.prune.Pruner;
import io.lifeboat.core.storage.StorageException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat prune}: deletes chunks no backup references, at every location. */
@Command(
    name = "prune",
    description =
        "Reclaim space: delete, at every location, chunks no remaining backup uses. Waits for"
            + " running backups; backups wait for it.")
final class PruneCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Option(names = "--dry-run", description = "Only say what would be deleted")
  boolean dryRun;

  @Option(names = "--json", description = "Print the result as one JSON object")
  boolean json;

  @Option(
      names = "--wait-for-backups",
      defaultValue = "PT10M",
      description = "How long to wait for running backups to finish (default: ${DEFAULT-VALUE})")
  Duration waitForBackups;

  PrintStream out = System.out;

  @Mixin BreakGlass.Reason breakGlass;

  @Override
  public Integer call() throws CliException {
    if (!dryRun) {
      BreakGlass.check(settings, "prune", "repository.prune", "", breakGlass.reason);
    }
    Pruner pruner =
        new Pruner(
            CliRepository.openPrimary(settings),
            CliRepository.replicas(settings),
            waitForBackups,
            Duration.ofHours(24));
    Pruner.Report r;
    try {
      r = pruner.prune(dryRun);
    } catch (StorageException e) {
      throw new CliException(ExitCodes.ERROR, "prune stopped: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.ERROR, "interrupted");
    }
    if (json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("dryRun", r.dryRun());
      j.put("manifests", r.manifests());
      j.put("chunksReferenced", r.chunksReferenced());
      j.put("bytesDeleted", r.bytesDeleted());
      j.put(
          "locations",
          r.locations().stream()
              .map(
                  l ->
                      Map.of(
                          "location", l.location(),
                          "chunksDeleted", l.chunksDeleted(),
                          "bytesDeleted", l.bytesDeleted(),
                          "chunksKept", l.chunksKept()))
              .toList());
      out.println(Json.line(j));
      return ExitCodes.OK;
    }
    String verb = r.dryRun() ? "would delete" : "deleted";
    for (Pruner.Reclaimed l : r.locations()) {
      out.println(
          l.location()
              + ": "
              + verb
              + " "
              + l.chunksDeleted()
              + " chunk(s), "
              + Format.bytes(l.bytesDeleted())
              + "; kept "
              + l.chunksKept());
    }
    out.println(
        r.manifests()
            + " backup(s) keep "
            + r.chunksReferenced()
            + " chunk(s); "
            + verb
            + " "
            + Format.bytes(r.bytesDeleted())
            + " in all"
            + (r.dryRun() ? " (dry run: nothing was deleted)" : ""));
    return ExitCodes.OK;
  }
}
