package io.lifeboat.core.prune;

import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectNotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Deletes backups: the manifest goes at every location, and {@code deletions/<id>} records when and
 * why, so that a later restore of that id says it was deleted instead of "no such backup". Its
 * chunks stay until a prune finds them unreferenced.
 */
public final class BackupDeletion {

  public static final String PREFIX = "deletions/";

  private BackupDeletion() {}

  /**
   * @param locations primary first, then replicas
   * @return whether a manifest was deleted anywhere
   */
  public static boolean delete(List<Backend> locations, String backupId, String reason) {
    RepositoryLayout.checkBackupId(backupId);
    Backend primary = locations.get(0);
    String record = Instant.now() + " " + reason.replaceAll("[\\r\\n]+", " ");
    primary.delete(PREFIX + backupId);
    primary.putIfAbsent(PREFIX + backupId, record.getBytes(StandardCharsets.UTF_8));
    boolean any = false;
    for (Backend b : locations) {
      any |= b.delete(RepositoryLayout.manifest(backupId));
    }
    return any;
  }

  /** When and why a backup was deleted, if it was. */
  public static Optional<String> deleted(Backend primary, String backupId) {
    try {
      return Optional.of(
          new String(primary.get(PREFIX + backupId), StandardCharsets.UTF_8).strip());
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }
}
