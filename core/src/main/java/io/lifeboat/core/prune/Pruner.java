package io.lifeboat.core.prune;

import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectNotFoundException;
import io.lifeboat.core.storage.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reclaims space: deletes, at every location, the chunk objects no manifest references. Safe
 * against backups running at the same time ({@link RepositoryLocks}: it waits until none runs, and
 * none starts while it holds the lock) and against itself being killed (it deletes only
 * unreferenced chunks, so a half-done prune leaves a repository that verifies; the next prune
 * finishes). It refuses to delete anything while a manifest cannot be read: what that manifest
 * references is unknown.
 */
public final class Pruner {

  /** What one location gave back. */
  public record Reclaimed(String location, int chunksDeleted, long bytesDeleted, int chunksKept) {}

  /**
   * The result.
   *
   * @param manifests manifests read (their chunks are kept)
   * @param locations per location, primary first
   */
  public record Report(
      boolean dryRun, int manifests, int chunksReferenced, List<Reclaimed> locations) {
    public long bytesDeleted() {
      return locations.stream().mapToLong(Reclaimed::bytesDeleted).sum();
    }
  }

  private final Repository repository;
  private final Map<String, Backend> replicas;
  private final Duration waitForBackups;
  private final Duration staleBackupLock;

  /**
   * @param waitForBackups how long to wait for running backups to finish before giving up
   * @param staleBackupLock a backup lock older than this belongs to a backup that died (and is
   *     ignored)
   */
  public Pruner(
      Repository repository,
      Map<String, Backend> replicas,
      Duration waitForBackups,
      Duration staleBackupLock) {
    this.repository = repository;
    this.replicas = new LinkedHashMap<>(replicas);
    this.waitForBackups = waitForBackups;
    this.staleBackupLock = staleBackupLock;
  }

  /** Decides and (unless {@code dryRun}) deletes. */
  public Report prune(boolean dryRun) throws InterruptedException {
    RepositoryLocks locks = new RepositoryLocks(repository.backend());
    if (dryRun) {
      return run(true, null);
    }
    try (RepositoryLocks.PruneLock lock = locks.lockPrune()) {
      awaitNoBackups(locks, lock);
      return run(false, lock);
    }
  }

  private void awaitNoBackups(RepositoryLocks locks, RepositoryLocks.PruneLock lock)
      throws InterruptedException {
    long deadline = System.nanoTime() + waitForBackups.toNanos();
    long lastRefresh = System.nanoTime();
    while (true) {
      Instant now = Instant.now();
      List<RepositoryLocks.Held> running =
          locks.runningBackups().stream()
              .filter(h -> h.age(now).compareTo(staleBackupLock) < 0)
              .toList();
      if (running.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw StorageException.permanent(
            running.size()
                + " backup(s) still running after waiting "
                + waitForBackups.toSeconds()
                + " s ("
                + running.get(0).name()
                + ", ...); nothing was deleted, try again later",
            null);
      }
      if (System.nanoTime() - lastRefresh > RepositoryLocks.PRUNE_REFRESH.toNanos()) {
        lock.refresh();
        lastRefresh = System.nanoTime();
      }
      Thread.sleep(1000);
    }
  }

  private Report run(
      boolean dryRun, RepositoryLocks.@org.jspecify.annotations.Nullable PruneLock lock) {
    Set<String> referenced = new HashSet<>();
    List<String> ids = repository.listManifests();
    for (String id : ids) {
      Manifest m;
      try {
        m = repository.readManifest(id);
      } catch (DamagedObjectException e) {
        throw StorageException.permanent(
            "the manifest of "
                + id
                + " cannot be read ("
                + e.getMessage()
                + "), so what it references is unknown; nothing was deleted. Repair it from a"
                + " replica (lifeboat replicate) or delete that backup first",
            null);
      } catch (ObjectNotFoundException e) {
        continue; // deleted meanwhile: its chunks are garbage too
      }
      for (Manifest.Component c : m.components()) {
        for (String hex : c.chunks()) {
          referenced.add(RepositoryLayout.chunk(hex));
        }
      }
    }
    for (Backend replica : replicas.values()) {
      List<String> extra = new ArrayList<>();
      replica.list(
          RepositoryLayout.MANIFESTS,
          o -> {
            if (!ids.contains(o.name().substring(RepositoryLayout.MANIFESTS.length()))) {
              extra.add(o.name());
            }
          });
      if (!extra.isEmpty()) {
        throw StorageException.permanent(
            replica.location()
                + " holds manifests the primary lacks ("
                + extra.get(0)
                + ", ...); run `lifeboat replicate --repair` first; nothing was deleted",
            null);
      }
    }
    List<Reclaimed> out = new ArrayList<>();
    List<Backend> all = new ArrayList<>();
    all.add(repository.backend());
    all.addAll(replicas.values());
    long lastRefresh = System.nanoTime();
    for (Backend b : all) {
      List<io.lifeboat.core.storage.ObjectInfo> garbage = new ArrayList<>();
      int[] kept = {0};
      b.list(
          RepositoryLayout.CHUNKS,
          o -> {
            if (referenced.contains(o.name())) {
              kept[0]++;
            } else {
              garbage.add(o);
            }
          });
      long bytes = 0;
      for (io.lifeboat.core.storage.ObjectInfo o : garbage) {
        if (!dryRun) {
          b.delete(o.name());
          if (lock != null
              && System.nanoTime() - lastRefresh > RepositoryLocks.PRUNE_REFRESH.toNanos()) {
            lock.refresh();
            lastRefresh = System.nanoTime();
          }
        }
        bytes += o.size();
      }
      out.add(new Reclaimed(b.location(), garbage.size(), bytes, kept[0]));
    }
    return new Report(dryRun, ids.size(), referenced.size(), out);
  }
}
