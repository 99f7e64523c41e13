package io.lifeboat.cli;

import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.verify.Verifier;
import io.lifeboat.core.verify.VerifyReport;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat verify ID}: re-reads and authenticates every chunk, straight from storage. */
@Command(
    name = "verify",
    description =
        "Re-read and authenticate every chunk of a backup (needs only the repository and the key).")
final class VerifyCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Parameters(paramLabel = "ID", description = "Backup id, or latest")
  String backupId;

  @Option(
      names = "--parallel",
      defaultValue = "4",
      description = "Chunks read at once (default: ${DEFAULT-VALUE})")
  int parallel;

  @Option(names = "--json", description = "Print the report as one JSON object")
  boolean json;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    if (parallel < 1) {
      throw new CliException(ExitCodes.USAGE, "--parallel must be at least 1, got " + parallel);
    }
    Repository repo = CliRepository.open(settings);
    Manifest manifest = CliRepository.manifest(repo, backupId, System.err);
    VerifyReport report;
    try (Verifier verifier = new Verifier(repo, parallel)) {
      report = verifier.verify(manifest);
    }
    if (json) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("backupId", report.backupId());
      j.put("ok", report.ok());
      j.put("chunksChecked", report.chunksChecked());
      j.put("bytesChecked", report.bytesChecked());
      j.put("durationMs", report.duration().toMillis());
      j.put("damaged", report.damaged());
      j.put("problems", report.problems());
      out.println(Json.line(j));
    } else {
      out.println(
          "verified backup "
              + report.backupId()
              + ": "
              + report.chunksChecked()
              + " chunks, "
              + Format.bytes(report.bytesChecked())
              + " in "
              + Format.duration(report.duration().toMillis())
              + " ("
              + Format.rate(report.bytesChecked(), report.duration().toMillis())
              + ")");
      for (VerifyReport.Damage d : report.damaged()) {
        out.println(
            "  DAMAGED chunk "
                + d.chunkId()
                + " (component "
                + d.component()
                + ", #"
                + d.index()
                + "): "
                + d.reason());
      }
      report.problems().forEach(p -> out.println("  PROBLEM " + p));
      out.println(
          report.ok()
              ? "OK: every chunk authenticated"
              : "FAILED: " + report.damaged().size() + " damaged chunk(s)");
    }
    return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
