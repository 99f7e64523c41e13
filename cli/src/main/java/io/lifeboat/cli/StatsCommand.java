package io.lifeboat.cli;

import io.lifeboat.core.prune.RepositoryStats;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat stats}: how the repository's space is used, and what a prune would reclaim. */
@Command(
    name = "stats",
    description = "Repository size, stored bytes per backup name, and bytes a prune would reclaim.")
final class StatsCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Option(names = "--json", description = "Print the figures as one JSON object")
  boolean json;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    RepositoryStats.Stats s = RepositoryStats.of(CliRepository.openPrimary(settings));
    if (json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("chunks", s.chunks());
      j.put("storedBytes", s.storedBytes());
      j.put("backups", s.backups());
      Map<String, Object> names = new LinkedHashMap<>();
      s.byName()
          .forEach(
              (n, v) ->
                  names.put(
                      n,
                      Map.of(
                          "backups", v.backups(),
                          "storedBytes", v.storedBytes(),
                          "ownBytes", v.ownBytes())));
      j.put("byName", names);
      j.put("reclaimableBytes", s.reclaimableBytes());
      j.put("reclaimableChunks", s.reclaimableChunks());
      j.put("damagedManifests", s.damagedManifests());
      out.println(Json.line(j));
      return ExitCodes.OK;
    }
    out.println(
        "repository: "
            + Format.bytes(s.storedBytes())
            + " in "
            + s.chunks()
            + " chunks, "
            + s.backups()
            + " backup(s)");
    out.printf("%-30s %8s %12s %12s%n", "NAME", "BACKUPS", "STORED", "ONLY ITS OWN");
    s.byName()
        .forEach(
            (n, v) ->
                out.printf(
                    "%-30s %8d %12s %12s%n",
                    n, v.backups(), Format.bytes(v.storedBytes()), Format.bytes(v.ownBytes())));
    out.println(
        "reclaimable by `lifeboat prune`: "
            + Format.bytes(s.reclaimableBytes())
            + " in "
            + s.reclaimableChunks()
            + " chunk(s)");
    if (!s.damagedManifests().isEmpty()) {
      out.println(
          "warning: "
              + s.damagedManifests().size()
              + " damaged manifest(s) not counted (prune refuses to run until they are"
              + " repaired or deleted): "
              + String.join(", ", s.damagedManifests()));
    }
    return ExitCodes.OK;
  }
}
