package io.lifeboat.recovery.executor;

import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Which backup a component is restored from, decided from the repository itself (no catalog: it may
 * be lost with everything else): a manifest exists only for a backup the verify stage
 * authenticated, so "verified" means "has a manifest". Manifests never change, so each is read and
 * decrypted once.
 */
final class BackupResolver {

  /**
   * A backup holding the component.
   *
   * @param backupId the backup
   * @param manifest its manifest
   * @param component the component in it
   */
  record Found(String backupId, Manifest manifest, Manifest.Component component) {}

  private final Supplier<Repository> repository;
  private final Map<String, Manifest> cache = new ConcurrentHashMap<>();

  BackupResolver(Supplier<Repository> repository) {
    this.repository = repository;
  }

  /**
   * @param backupId this backup, or null for the newest
   * @param definition only backups of this definition name, or null for any
   * @param at only backups completed at or before, or null for any
   */
  Optional<Found> resolve(
      String component,
      @Nullable String backupId,
      @Nullable String definition,
      @Nullable Instant at) {
    return resolve(component, backupId, definition, at, null);
  }

  /** The backup ids in the repository now: list once, resolve many components against it. */
  List<String> listed() {
    return withoutWal(repository.get().listManifests());
  }

  /** Archived WAL files (lifeboat wal push) are read by point-in-time restores, not resolved. */
  private static List<String> withoutWal(List<String> ids) {
    return ids.stream().filter(id -> !id.startsWith("wal.")).toList();
  }

  /**
   * @param listed the backup ids (from {@link #listed()}), or null to list them now
   */
  Optional<Found> resolve(
      String component,
      @Nullable String backupId,
      @Nullable String definition,
      @Nullable Instant at,
      @Nullable List<String> listed) {
    Repository repo = repository.get();
    if (backupId != null) {
      if (!repo.hasManifest(backupId)) {
        return Optional.empty();
      }
      return read(repo, backupId)
          .flatMap(
              m ->
                  m.component(component)
                      .filter(c -> !"FAILED".equals(c.status()))
                      .map(c -> new Found(backupId, m, c)));
    }
    List<String> ids = listed != null ? listed : withoutWal(repo.listManifests());
    return ids.stream()
        .map(id -> read(repo, id))
        .flatMap(Optional::stream)
        .filter(m -> definition == null || definition.equals(m.name()))
        .filter(m -> at == null || !m.completedAt().isAfter(at))
        .filter(m -> m.component(component).filter(c -> !"FAILED".equals(c.status())).isPresent())
        .max(Comparator.comparing(Manifest::completedAt))
        .map(m -> new Found(m.backupId(), m, m.component(component).orElseThrow()));
  }

  private Optional<Manifest> read(Repository repo, String backupId) {
    Manifest m = cache.get(backupId);
    if (m != null) {
      return Optional.of(m);
    }
    try {
      m = repo.readManifest(backupId);
      cache.put(backupId, m);
      return Optional.of(m);
    } catch (DamagedObjectException | io.lifeboat.core.storage.ObjectNotFoundException e) {
      return Optional.empty();
    }
  }
}
