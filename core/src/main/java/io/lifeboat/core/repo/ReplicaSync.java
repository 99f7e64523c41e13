package io.lifeboat.core.repo;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.StorageException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Compares a replica with the primary and copies what it lacks: the config, then chunks, then
 * manifests (so a replica never holds a manifest whose chunks it lacks). Objects are immutable and
 * content-addressed, so copying is put-if-absent and safe to repeat or interrupt.
 */
public final class ReplicaSync {

  /**
   * How far a replica is behind.
   *
   * @param replica its location
   * @param missingChunks chunk objects the primary has and it lacks
   * @param missingManifests backups (ids) whose manifest it lacks
   * @param configMissing whether it lacks the repository config
   */
  public record Lag(
      String replica, int missingChunks, List<String> missingManifests, boolean configMissing) {
    public boolean upToDate() {
      return missingChunks == 0 && missingManifests.isEmpty() && !configMissing;
    }
  }

  /**
   * What a repair did.
   *
   * @param before the lag it found
   * @param copiedObjects objects written to the replica
   * @param copiedBytes bytes written
   */
  public record Repair(Lag before, int copiedObjects, long copiedBytes) {}

  private ReplicaSync() {}

  public static Lag lag(Backend primary, Backend replica) {
    Set<String> have = names(replica, "");
    Set<String> want = names(primary, "");
    int chunks = 0;
    TreeSet<String> manifests = new TreeSet<>();
    for (String name : want) {
      if (have.contains(name)) {
        continue;
      }
      if (name.startsWith(RepositoryLayout.CHUNKS)) {
        chunks++;
      } else if (name.startsWith(RepositoryLayout.MANIFESTS)) {
        manifests.add(name.substring(RepositoryLayout.MANIFESTS.length()));
      }
    }
    return new Lag(
        replica.location(),
        chunks,
        List.copyOf(manifests),
        want.contains(RepositoryLayout.CONFIG) && !have.contains(RepositoryLayout.CONFIG));
  }

  /** Copies what the replica lacks. Fails on the first object it cannot copy. */
  public static Repair repair(Backend primary, Backend replica) {
    checkSameRepository(primary, replica);
    Lag before = lag(primary, replica);
    Set<String> have = names(replica, "");
    List<String> order = new java.util.ArrayList<>();
    names(primary, "").stream()
        .filter(n -> !have.contains(n) && !n.equals(RepositoryLayout.KEY_ROTATION))
        .forEach(order::add);
    order.sort(
        (a, b) ->
            Integer.compare(rank(a), rank(b)) != 0
                ? Integer.compare(rank(a), rank(b))
                : a.compareTo(b));
    int copied = 0;
    long bytes = 0;
    for (String name : order) {
      byte[] data = primary.get(name);
      if (replica.putIfAbsent(name, data)) {
        copied++;
        bytes += data.length;
      }
    }
    return new Repair(before, copied, bytes);
  }

  /**
   * Makes every location hold everything any of them holds (for a primary that came back empty, as
   * for a replica that was down): each location copies, in location order, from each other.
   */
  public static List<Repair> syncAll(List<Backend> locations) {
    List<Repair> done = new java.util.ArrayList<>();
    for (Backend target : locations) {
      for (Backend source : locations) {
        if (source != target) {
          done.add(repair(source, target));
        }
      }
    }
    return done;
  }

  /**
   * Refuses to mix two repositories: both configs, where present, must name the same repository.
   */
  static void checkSameRepository(Backend a, Backend b) {
    String idA = repositoryId(a);
    String idB = repositoryId(b);
    if (idA != null && idB != null && !idA.equals(idB)) {
      throw StorageException.permanent(
          b.location()
              + " holds another repository ("
              + idB
              + ") than "
              + a.location()
              + " ("
              + idA
              + "); not copying between them",
          null);
    }
  }

  private static @Nullable String repositoryId(Backend b) {
    try {
      return Repository.readConfig(b).id();
    } catch (RepositoryNotFoundException | IllegalStateException e) {
      return null;
    }
  }

  private static int rank(String name) {
    if (name.startsWith(RepositoryLayout.KEYS_RETIRED)) {
      return -1; // a retired key is refused before its slot could arrive
    }
    if (name.equals(RepositoryLayout.CONFIG)) {
      return 0;
    }
    return name.startsWith(RepositoryLayout.MANIFESTS) ? 2 : 1;
  }

  private static Set<String> names(Backend b, String prefix) {
    Set<String> names = new HashSet<>();
    try {
      b.list(prefix, (ObjectInfo o) -> names.add(o.name()));
    } catch (StorageException e) {
      throw new StorageException(
          "cannot list " + b.location() + ": " + e.getMessage(), e, e.isPermanent());
    }
    return names;
  }
}
