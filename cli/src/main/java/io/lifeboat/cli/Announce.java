package io.lifeboat.cli;

import io.lifeboat.client.BackupManager;
import io.lifeboat.model.LifeboatClientException;
import java.io.PrintStream;

/** Tells the pipeline what the command line changed in the repository (for the catalog). */
final class Announce {

  private Announce() {}

  /**
   * The backup was deleted. The deletion stands in the repository whatever happens here; without
   * Kafka the catalog just keeps showing it until told, which the warning says.
   */
  static void deleted(
      CliSettings settings, String backupId, String name, String reason, PrintStream warnings) {
    try (BackupManager manager = settings.backups(null)) {
      manager.announceDeleted(backupId, name, reason);
    } catch (LifeboatClientException e) {
      warnings.println(
          "warning: "
              + backupId
              + " is deleted from the repository, but the catalog was not told ("
              + e.getMessage()
              + ")");
    }
  }
}
