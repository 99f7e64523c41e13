package io.lifeboat.cli;

import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogClient;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat show ID}: one backup from the catalog, with its components. */
@Command(name = "show", description = "Show one backup from the catalog.")
final class ShowCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Parameters(paramLabel = "ID")
  String backupId;

  @Option(names = "--json", description = "Print it as one JSON object")
  boolean json;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    BackupView b =
        new CatalogClient(settings.api(), settings.apiToken())
            .get(backupId)
            .orElseThrow(
                () ->
                    new CliException(ExitCodes.ERROR, "no backup " + backupId + " in the catalog"));
    if (json) {
      out.println(Json.line(b));
      return ExitCodes.OK;
    }
    out.println("backup     " + b.backupId());
    out.println("name       " + b.name() + " (" + b.type() + ")");
    out.println("status     " + b.status() + (b.reason() == null ? "" : ": " + b.reason()));
    out.println("labels     " + b.labels());
    out.println("requested  " + b.requestedAt());
    out.println("completed  " + (b.completedAt() == null ? "-" : b.completedAt()));
    out.println(
        "duration   "
            + Format.duration(b.durationMs())
            + " ("
            + Format.rate(b.sizeBytes(), b.durationMs())
            + ")");
    out.println(
        "size       "
            + Format.bytes(b.sizeBytes())
            + " read, "
            + Format.bytes(b.storedBytes())
            + " stored, "
            + b.newChunks()
            + " new chunks, "
            + b.dedupedChunks()
            + " deduplicated");
    out.println(
        String.format(
            java.util.Locale.ROOT,
            "ratio      %.2fx compression on new data",
            b.compressionRatio()));
    out.println(
        "manifest   " + (b.manifestChecksum() == null ? "-" : "sha256 " + b.manifestChecksum()));
    out.println("locations");
    if (b.locationStatus().isEmpty()) {
      b.locations().forEach(l -> out.println("  " + l));
    }
    for (BackupView.LocationView l : b.locationStatus()) {
      out.println(
          "  "
              + l.location()
              + (l.primary() ? " (primary)" : " (replica)")
              + ": "
              + (l.complete()
                  ? "complete"
                  : "INCOMPLETE"
                      + (l.missingChunks() > 0
                          ? ", " + l.missingChunks() + " chunk(s) missing"
                          : "")
                      + (l.error() == null ? "" : ", " + l.error())));
    }
    out.println("components");
    for (BackupView.ComponentView c : b.components()) {
      out.println(
          "  "
              + c.name()
              + " ["
              + c.kind()
              + "] "
              + c.source()
              + ": "
              + c.status()
              + (c.error() == null ? "" : " - " + c.error()));
      java.util.Map<String, String> facts = new java.util.TreeMap<>(c.metadata());
      facts
          .keySet()
          .removeIf(k -> k.startsWith("rows.") || k.equals("treeDigest") || k.equals("names"));
      out.println(
          "    "
              + Format.bytes(c.sizeBytes())
              + ", "
              + c.chunkCount()
              + " chunks ("
              + c.newChunkCount()
              + " new), "
              + Format.duration(c.durationMs())
              + (facts.isEmpty() ? "" : ", " + facts));
      if (c.metadata().containsKey("names")) {
        out.println("    names: " + c.metadata().get("names"));
      }
      c.warnings().forEach(w -> out.println("    warning: " + w));
    }
    return ExitCodes.OK;
  }
}
