package io.lifeboat.stage.verify;

import io.lifeboat.core.prune.BackupDeletion;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupDeleteRequested;
import io.lifeboat.events.BackupDeleted;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Deletes a stored backup on request, without Kafka: its manifest goes at every location (what
 * {@code lifeboat delete} does on the user's machine, here in the service that holds the
 * repository). The chunks stay until a prune.
 */
public final class BackupDeleter {

  /**
   * Exactly one is set.
   *
   * @param deleted the deletion, announced to the catalog
   * @param refused why nothing was deleted, as an alert
   */
  public record Outcome(@Nullable BackupDeleted deleted, @Nullable Alert refused) {}

  private final Supplier<Repository> repository;
  private final Map<String, Backend> replicas;

  public BackupDeleter(Supplier<Repository> repository, Map<String, Backend> replicas) {
    this.repository = repository;
    this.replicas = replicas;
  }

  public Outcome delete(BackupDeleteRequested request) {
    String id = request.getBackupId();
    if (!RepositoryLayout.isValidBackupId(id)) {
      return refused(id, "not a backup id");
    }
    String reason =
        request.getReason().isBlank()
            ? "deleted over the API" + by(request)
            : request.getReason() + by(request);
    Repository repo;
    List<Backend> locations = new ArrayList<>();
    try {
      repo = repository.get();
      locations.add(repo.backend());
      locations.addAll(replicas.values());
      if (!BackupDeletion.delete(locations, id, reason)) {
        return refused(id, "no such backup in the repository (nothing deleted)");
      }
    } catch (StorageException e) {
      return refused(id, "the storage failed: " + e.getMessage());
    }
    return new Outcome(
        BackupDeleted.newBuilder()
            .setEnvelope(Envelopes.next(id))
            .setBackupId(id)
            .setReason(reason)
            .build(),
        null);
  }

  private static String by(BackupDeleteRequested request) {
    return request.getRequestedBy().isBlank() ? "" : " (by " + request.getRequestedBy() + ")";
  }

  private static Outcome refused(String id, String why) {
    return new Outcome(
        null,
        Alert.newBuilder()
            .setEnvelope(Envelopes.next(id))
            .setSeverity(Severity.WARNING)
            .setKind("backup.delete-failed")
            .setSubject(id)
            .setMessage("backup " + id + " was not deleted: " + why)
            .build());
  }
}
