package io.lifeboat.cli;

import io.lifeboat.client.BackupManager;
import io.lifeboat.client.BackupOutcome;
import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.LifeboatClientException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat cancel ID}: stops a running backup; nothing of it is committed. */
@Command(
    name = "cancel",
    description =
        "Stop a running backup: its dump stops, nothing is committed, it ends CANCELLED. A backup"
            + " that has ended is not cancelled (delete it instead).")
final class CancelCommand implements Callable<Integer> {

  static final Set<String> ENDED =
      Set.of("SUCCESS", "PARTIAL", "FAILED", "REJECTED", "CANCELLED", "DELETED");

  @Mixin CliSettings settings;

  @Parameters(paramLabel = "ID", description = "Backup id")
  String backupId;

  @Option(names = "--reason", description = "Recorded with the cancellation")
  String reason = "cancelled by hand";

  @Option(
      names = "--timeout",
      defaultValue = "PT1M",
      description = "How long to wait for the backup to end (default: ${DEFAULT-VALUE})")
  Duration timeout;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    Optional<BackupView> known;
    try {
      known = new CatalogClient(settings.api(), settings.apiToken()).get(backupId);
    } catch (LifeboatClientException e) {
      throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
    }
    if (known.isEmpty()) {
      throw new CliException(ExitCodes.ERROR, "no backup " + backupId + " in the catalog");
    }
    if (ENDED.contains(known.get().status())) {
      throw new CliException(
          ExitCodes.REJECTED,
          "backup "
              + backupId
              + " has already ended "
              + known.get().status()
              + "; there is nothing to cancel"
              + ("SUCCESS".equals(known.get().status()) || "PARTIAL".equals(known.get().status())
                  ? " (to remove it: lifeboat delete " + backupId + ")"
                  : ""));
    }
    try (BackupManager manager = settings.backups(null)) {
      manager.cancelBackup(backupId, reason);
      out.println("asked to cancel " + backupId + "; waiting for it to stop ...");
      BackupOutcome outcome = manager.await(backupId, timeout);
      if (outcome.completed() == null) {
        out.println("backup " + backupId + " has not ended yet; it will end CANCELLED");
        return ExitCodes.TIMED_OUT;
      }
      out.println(
          "backup "
              + backupId
              + ": "
              + outcome.completed().getStatus()
              + (outcome.completed().getReason() != null
                  ? " (" + outcome.completed().getReason() + ")"
                  : ""));
      return "CANCELLED".equals(outcome.completed().getStatus().name())
          ? ExitCodes.OK
          : ExitCodes.FAILED;
    } catch (LifeboatClientException e) {
      throw new CliException(ExitCodes.ERROR, String.valueOf(e.getMessage()));
    }
  }
}
