package io.lifeboat.cli;

import io.lifeboat.core.repo.ReplicaSync;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendRegistry;
import io.lifeboat.core.storage.StorageException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lifeboat replicate [--repair]}: how far each location of the repository is behind the
 * others, and with --repair, copies what each one lacks from the others (a replica that was down,
 * or a primary that came back empty).
 */
@Command(
    name = "replicate",
    description = "Show how far replicas are behind; with --repair, copy what each location lacks.")
final class ReplicateCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Option(
      names = "--repair",
      description = "Copy missing objects between the locations until each holds everything")
  boolean repair;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    if (settings.replicas().isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE, "no replicas configured (--replica LOCATION or LIFEBOAT_REPLICAS)");
    }
    List<Backend> locations = new ArrayList<>();
    locations.add(BackendRegistry.standard().open(settings.repository()));
    settings.replicas().forEach(r -> locations.add(BackendRegistry.standard().open(r)));
    if (repair) {
      try {
        long objects = 0;
        long bytes = 0;
        for (ReplicaSync.Repair r : ReplicaSync.syncAll(locations)) {
          objects += r.copiedObjects();
          bytes += r.copiedBytes();
        }
        out.println("repaired: " + objects + " objects (" + Format.bytes(bytes) + ") copied");
      } catch (StorageException e) {
        throw new CliException(ExitCodes.ERROR, "repair stopped: " + e.getMessage());
      }
    }
    boolean allUpToDate = true;
    Backend primary = locations.get(0);
    for (Backend replica : locations.subList(1, locations.size())) {
      try {
        ReplicaSync.Lag lag = ReplicaSync.lag(primary, replica);
        ReplicaSync.Lag reverse = ReplicaSync.lag(replica, primary);
        allUpToDate &= lag.upToDate() && reverse.upToDate();
        out.println(
            replica.location()
                + ": "
                + (lag.upToDate()
                    ? "up to date with the primary"
                    : "behind the primary by "
                        + lag.missingChunks()
                        + " chunk(s) and "
                        + lag.missingManifests().size()
                        + " backup(s)"
                        + (lag.configMissing() ? ", config missing" : "")));
        if (!reverse.upToDate()) {
          out.println(
              "  the primary "
                  + primary.location()
                  + " lacks "
                  + reverse.missingChunks()
                  + " chunk(s) and "
                  + reverse.missingManifests().size()
                  + " backup(s) this replica holds");
        }
      } catch (StorageException e) {
        allUpToDate = false;
        out.println(replica.location() + ": cannot compare: " + e.getMessage());
      }
    }
    return allUpToDate ? ExitCodes.OK : ExitCodes.PARTIAL;
  }
}
