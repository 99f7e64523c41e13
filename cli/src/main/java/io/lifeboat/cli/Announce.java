package io.lifeboat.cli;

import io.lifeboat.client.BackupManager;
import io.lifeboat.model.LifeboatClientException;
import java.io.PrintStream;

/**
 * Tells the pipeline what the command line changed in the repository (for the catalog). The command
 * line does not announce a deletion itself (its Kafka login may not write deletions: every host
 * user shares it): it asks the verify stage to verify the backup, and the verify stage, which finds
 * the manifest gone and the deletion recorded, announces it (decision 0032).
 */
final class Announce {

  private Announce() {}

  /**
   * The backup was deleted. The deletion stands in the repository whatever happens here; when the
   * verify stage cannot be asked (Kafka or the API down, a token that may not verify), the catalog
   * keeps showing it until the next verify request for it, which the warning says.
   */
  static void deleted(CliSettings settings, String backupId, PrintStream warnings) {
    try (BackupManager manager = settings.backups(null)) {
      manager.requestVerification(backupId);
    } catch (LifeboatClientException e) {
      warnings.println(
          "warning: "
              + backupId
              + " is deleted from the repository, but the catalog was not told ("
              + e.getMessage()
              + "); it is when the verify stage next verifies it (POST /api/backups/"
              + backupId
              + "/verify)");
    }
  }
}
