package io.lifeboat.core.retention;

import io.lifeboat.core.prune.BackupDeletion;
import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectNotFoundException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies a retention policy to the backups of one name in a repository: decides from their
 * manifests, deletes the manifests of what it removes at every location (pruning reclaims their
 * chunks later). A damaged manifest is left alone and not counted.
 */
public final class RetentionRun {

  private RetentionRun() {}

  /**
   * The backups in a repository, by name, from their manifests.
   *
   * @param name only this name, or null for every name
   * @param damaged told the id of each manifest that cannot be read (it is left out)
   */
  public static Map<String, List<Retention.Backup>> byName(
      Repository repo,
      @org.jspecify.annotations.Nullable String name,
      java.util.function.Consumer<String> damaged) {
    Map<String, List<Retention.Backup>> out = new java.util.TreeMap<>();
    for (String id : repo.listManifests()) {
      try {
        Manifest m = repo.readManifest(id);
        if (name == null || name.equals(m.name())) {
          out.computeIfAbsent(m.name(), k -> new ArrayList<>())
              .add(new Retention.Backup(id, m.name(), m.completedAt(), m.status(), m.labels()));
        }
      } catch (DamagedObjectException e) {
        damaged.accept(id);
      } catch (ObjectNotFoundException e) {
        // deleted meanwhile
      }
    }
    return out;
  }

  /**
   * @param locations the primary first, then every replica
   * @param reasonPrefix what the deletion records say did it (e.g. "schedule nightly")
   * @return every decision (removed ones already deleted)
   */
  public static List<Retention.Decision> apply(
      Repository repo,
      List<Backend> locations,
      String name,
      RetentionPolicy policy,
      Instant now,
      ZoneId zone,
      String reasonPrefix) {
    List<Retention.Backup> backups = byName(repo, name, id -> {}).getOrDefault(name, List.of());
    List<Retention.Decision> decisions = Retention.decide(backups, policy, now, zone, Map.of());
    for (Retention.Decision d : decisions) {
      if (!d.keep()) {
        BackupDeletion.delete(
            locations, d.backup().id(), reasonPrefix + ": " + String.join("; ", d.reasons()));
      }
    }
    return decisions;
  }
}
