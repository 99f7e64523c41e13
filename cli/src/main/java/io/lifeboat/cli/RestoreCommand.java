package io.lifeboat.cli;

import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.RestoreException;
import io.lifeboat.core.restore.RestoreReport;
import io.lifeboat.core.restore.Restorer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lifeboat restore ID --to DIR}: streams a backup from storage to a target. Needs only the
 * repository and the key; works with Kafka and the catalog down.
 */
@Command(name = "restore", description = "Restore a backup straight from the repository (no Kafka, no catalog needed).")
final class RestoreCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Parameters(paramLabel = "ID", description = "Backup id, or latest") String backupId;

  @Option(names = "--to", required = true, description = "Target folder (with several components, one sub-folder each)") Path to;

  @Option(names = "--component", description = "Restore only this component, into --to itself") String component;

  @Option(names = "--force", description = "Restore into a target that is not empty, replacing files of the same name") boolean force;

  @Option(names = "--parallel", defaultValue = "4", description = "Chunks fetched at once (default: ${DEFAULT-VALUE})") int parallel;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    Repository repo = CliRepository.open(settings);
    Manifest manifest = CliRepository.manifest(repo, backupId);
    Map<String, RestoreTarget> targets = new LinkedHashMap<>();
    Path root = to.toAbsolutePath().normalize();
    if (component != null) {
      targets.put(component, new RestoreTarget(root.toString(), force));
    } else if (manifest.components().size() == 1) {
      targets.put(manifest.components().get(0).name(), new RestoreTarget(root.toString(), force));
    } else {
      manifest.components().forEach(c -> targets.put(c.name(), new RestoreTarget(root.resolve(c.name()).toString(), force)));
    }
    try (Restorer restorer = new Restorer(repo, ProviderRegistry.standard(), parallel)) {
      RestoreReport report = restorer.restore(manifest, targets);
      for (RestoreReport.Restored r : report.components()) {
        out.println("restored " + r.name() + " -> " + r.target() + ": " + Format.bytes(r.bytes()) + " in "
            + Format.duration(r.duration().toMillis()));
      }
      out.println("restore of " + manifest.backupId() + " complete: " + Format.bytes(report.bytes()) + " in "
          + Format.duration(report.duration().toMillis()) + " (" + Format.rate(report.bytes(), report.duration().toMillis()) + ")");
      return ExitCodes.OK;
    } catch (RestoreException e) {
      throw new CliException(ExitCodes.FAILED, "restore refused or failed:\n  " + String.join("\n  ", e.problems()));
    }
  }
}
