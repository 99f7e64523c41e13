package io.lifeboat.cli;

import io.lifeboat.core.prune.BackupDeletion;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.StorageException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lifeboat delete ID...}: removes backups' manifests at every location. */
@Command(
    name = "delete",
    description =
        "Delete backups: their manifests go at every location; `lifeboat prune` then reclaims the"
            + " chunks only they used.")
final class DeleteCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "Backup ids")
  List<String> ids;

  @Option(names = "--reason", description = "Recorded with the deletion (default: deleted by hand)")
  String reason = "deleted by hand";

  /** Without it, with roles on, the deletion is asked of the verify stage through the API. */
  @Mixin BreakGlass.Reason breakGlass;

  PrintStream out = System.out;

  @Override
  public Integer call() throws CliException {
    for (String id : ids) {
      if (!io.lifeboat.core.repo.RepositoryLayout.isValidBackupId(id)) {
        throw new CliException(
            ExitCodes.USAGE, "not a backup id: " + io.lifeboat.model.Quoted.brief(id));
      }
    }
    if (settings.viaApi() && (breakGlass.reason == null || breakGlass.reason.isBlank())) {
      return throughTheApi();
    }
    BreakGlass.check(settings, "delete", "backup.delete", String.join(",", ids), breakGlass.reason);
    Repository repo = CliRepository.openPrimary(settings);
    List<Backend> locations = CliRepository.locations(settings, repo);
    int missing = 0;
    for (String id : ids) {
      if (!io.lifeboat.core.repo.RepositoryLayout.isValidBackupId(id)) {
        throw new CliException(
            ExitCodes.USAGE, "not a backup id: " + io.lifeboat.model.Quoted.brief(id));
      }
      try {
        if (BackupDeletion.delete(locations, id, reason)) {
          out.println("deleted " + id);
          Announce.deleted(settings, id, System.err);
        } else {
          out.println("no backup " + id + " (nothing deleted)");
          missing++;
        }
      } catch (StorageException e) {
        throw new CliException(ExitCodes.ERROR, "cannot delete " + id + ": " + e.getMessage());
      }
    }
    out.println("run `lifeboat prune` to reclaim the space of chunks no other backup uses");
    return missing == 0 ? ExitCodes.OK : ExitCodes.ERROR;
  }

  /**
   * Roles on: each deletion is a request the API checks (admin; held when approvals say so) and the
   * verify stage carries out at every location.
   */
  private int throughTheApi() throws CliException {
    io.lifeboat.client.RequestSender sender =
        java.util.Objects.requireNonNull(settings.requestSender());
    for (String id : ids) {
      try {
        sender.send(
            io.lifeboat.events.Topics.BACKUP_DELETE_REQUESTS,
            id,
            io.lifeboat.events.BackupDeleteRequested.newBuilder()
                .setEnvelope(io.lifeboat.events.Envelopes.next(id))
                .setBackupId(id)
                .setReason(reason)
                .build());
      } catch (io.lifeboat.model.LifeboatClientException e) {
        if (e.status() == 202) { // held for a second admin: not an error
          out.println(id + ": " + e.getMessage());
          continue;
        }
        throw new CliException(
            e.status() == 403 ? ExitCodes.REJECTED : ExitCodes.ERROR,
            String.valueOf(e.getMessage()));
      }
      out.println("deletion of " + id + " requested (the verify stage deletes it everywhere)");
    }
    return ExitCodes.OK;
  }
}
