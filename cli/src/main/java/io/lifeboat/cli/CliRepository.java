package io.lifeboat.cli;

import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryNotFoundException;
import io.lifeboat.core.repo.WrongKeyException;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendRegistry;
import io.lifeboat.core.storage.FailoverBackend;
import io.lifeboat.core.storage.ObjectNotFoundException;
import io.lifeboat.core.storage.StorageException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Opens the repository straight from storage with the key: no Kafka, no catalog. */
final class CliRepository {

  private CliRepository() {}

  static MasterKey key(CliSettings s) throws CliException {
    try {
      return MasterKey.find(s.keyFile())
          .orElseThrow(
              () ->
                  new CliException(
                      1,
                      "no key file at "
                          + s.keyFile()
                          + ": pass --key-file or set "
                          + MasterKey.ENV));
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(1, String.valueOf(e.getMessage()));
    }
  }

  /**
   * Opens the repository for reading. With replicas configured, reads go to the first location that
   * answers (primary first) and the user is told on standard error when one is given up on.
   */
  static Repository open(CliSettings s) throws CliException {
    MasterKey key = key(s);
    try {
      Backend backend = BackendRegistry.standard().open(s.repository());
      if (!s.replicas().isEmpty()) {
        List<Backend> all = new ArrayList<>();
        all.add(backend);
        s.replicas().forEach(r -> all.add(BackendRegistry.standard().open(r)));
        backend = new FailoverBackend(all, notice -> System.err.println("note: " + notice));
      }
      return Repository.open(backend, key);
    } catch (RepositoryNotFoundException | WrongKeyException e) {
      throw new CliException(1, String.valueOf(e.getMessage()));
    } catch (StorageException e) {
      throw new CliException(1, "cannot read the repository: " + e.getMessage());
    }
  }

  /**
   * Opens the repository at the primary location only, for changes that must reach each location in
   * turn (delete, prune); {@link #replicas} gives the others.
   */
  static Repository openPrimary(CliSettings s) throws CliException {
    MasterKey key = key(s);
    try {
      return Repository.open(BackendRegistry.standard().open(s.repository()), key);
    } catch (RepositoryNotFoundException | WrongKeyException e) {
      throw new CliException(1, String.valueOf(e.getMessage()));
    } catch (StorageException e) {
      throw new CliException(1, "cannot read the repository: " + e.getMessage());
    }
  }

  /** Every location a change must reach: the repository's (primary) first, then the replicas. */
  static List<Backend> locations(CliSettings s, Repository primary) {
    List<Backend> all = new ArrayList<>();
    all.add(primary.backend());
    all.addAll(replicas(s).values());
    return all;
  }

  /** The replica locations, by their configured spec. */
  static java.util.Map<String, Backend> replicas(CliSettings s) {
    java.util.Map<String, Backend> out = new java.util.LinkedHashMap<>();
    s.replicas().forEach(r -> out.put(r, BackendRegistry.standard().open(r)));
    return out;
  }

  /**
   * The manifest of a backup id, or of the newest backup for "latest". A damaged manifest of an
   * older backup does not stand in the way of "latest": it is skipped and named on {@code
   * warnings}.
   */
  static Manifest manifest(Repository repo, String backupId, PrintStream warnings)
      throws CliException {
    try {
      if ("latest".equals(backupId)) {
        return newest(repo, warnings);
      }
      return repo.readManifest(backupId);
    } catch (ObjectNotFoundException e) {
      java.util.Optional<String> deleted =
          io.lifeboat.core.prune.BackupDeletion.deleted(repo.backend(), backupId);
      if (deleted.isPresent()) {
        throw new CliException(
            1,
            "backup " + backupId + " was deleted (" + deleted.get() + "); it cannot be restored");
      }
      throw new CliException(
          1,
          "no backup "
              + backupId
              + " in "
              + repo.backend().location()
              + " (only completed backups have a manifest; see `lifeboat show "
              + backupId
              + "`)");
    } catch (DamagedObjectException e) {
      throw new CliException(4, "the manifest of " + backupId + " is damaged: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CliException(1, String.valueOf(e.getMessage()));
    }
  }

  private static Manifest newest(Repository repo, PrintStream warnings) throws CliException {
    Optional<Manifest> newest = Optional.empty();
    List<String> damaged = new ArrayList<>();
    for (String id : repo.listManifests()) {
      if (id.startsWith("wal.")) {
        continue; // an archived WAL file (lifeboat wal push), not a backup to restore on its own
      }
      Manifest m;
      try {
        m = repo.readManifest(id);
      } catch (DamagedObjectException | ObjectNotFoundException e) {
        damaged.add(id);
        continue;
      }
      if (newest.isEmpty()
          || Comparator.comparing(Manifest::completedAt).compare(m, newest.get()) > 0) {
        newest = Optional.of(m);
      }
    }
    if (!damaged.isEmpty()) {
      warnings.println(
          "warning: skipped "
              + damaged.size()
              + " damaged manifest(s) in "
              + repo.backend().location()
              + ": "
              + String.join(", ", damaged.subList(0, Math.min(10, damaged.size())))
              + (damaged.size() > 10 ? ", ..." : "")
              + " (those backups cannot be restored from this location; check a replica)");
    }
    if (newest.isEmpty() && !damaged.isEmpty()) {
      throw new CliException(4, "every manifest in " + repo.backend().location() + " is damaged");
    }
    return newest.orElseThrow(() -> new CliException(1, "the repository holds no backup yet"));
  }
}
