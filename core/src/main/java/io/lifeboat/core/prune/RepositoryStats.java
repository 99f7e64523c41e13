package io.lifeboat.core.prune;

import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.ObjectNotFoundException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the repository's space is used: stored bytes in all, per backup name (the chunks its backups
 * reference; names that share chunks both count them), and what a prune would reclaim.
 */
public final class RepositoryStats {

  /**
   * @param backups manifests of that name
   * @param storedBytes stored size of the distinct chunks they reference
   * @param ownBytes the part of it no other name references
   */
  public record NameStats(int backups, long storedBytes, long ownBytes) {}

  /**
   * @param damagedManifests manifests that could not be read (their chunks count as reclaimable)
   */
  public record Stats(
      int chunks,
      long storedBytes,
      int backups,
      Map<String, NameStats> byName,
      long reclaimableBytes,
      int reclaimableChunks,
      List<String> damagedManifests) {}

  private RepositoryStats() {}

  public static Stats of(Repository repo) {
    Map<String, Long> sizes = new HashMap<>();
    repo.backend().list(RepositoryLayout.CHUNKS, o -> sizes.put(o.name(), o.size()));
    Map<String, Set<String>> chunksByName = new TreeMap<>();
    Map<String, Integer> backupsByName = new HashMap<>();
    Map<String, Integer> namesPerChunk = new HashMap<>();
    List<String> damaged = new java.util.ArrayList<>();
    int backups = 0;
    for (String id : repo.listManifests()) {
      Manifest m;
      try {
        m = repo.readManifest(id);
      } catch (DamagedObjectException e) {
        damaged.add(id);
        continue;
      } catch (ObjectNotFoundException e) {
        continue;
      }
      backups++;
      backupsByName.merge(m.name(), 1, Integer::sum);
      Set<String> set = chunksByName.computeIfAbsent(m.name(), k -> new HashSet<>());
      for (Manifest.Component c : m.components()) {
        for (String hex : c.chunks()) {
          set.add(RepositoryLayout.chunk(hex));
        }
      }
    }
    chunksByName.values().forEach(s -> s.forEach(c -> namesPerChunk.merge(c, 1, Integer::sum)));
    Map<String, NameStats> byName = new TreeMap<>();
    for (Map.Entry<String, Set<String>> e : chunksByName.entrySet()) {
      long stored = 0;
      long own = 0;
      for (String c : e.getValue()) {
        long size = sizes.getOrDefault(c, 0L);
        stored += size;
        if (namesPerChunk.getOrDefault(c, 0) == 1) {
          own += size;
        }
      }
      byName.put(e.getKey(), new NameStats(backupsByName.getOrDefault(e.getKey(), 0), stored, own));
    }
    long total = 0;
    long reclaimable = 0;
    int reclaimableChunks = 0;
    for (Map.Entry<String, Long> e : sizes.entrySet()) {
      total += e.getValue();
      if (!namesPerChunk.containsKey(e.getKey())) {
        reclaimable += e.getValue();
        reclaimableChunks++;
      }
    }
    return new Stats(
        sizes.size(), total, backups, byName, reclaimable, reclaimableChunks, List.copyOf(damaged));
  }
}
