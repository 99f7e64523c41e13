package io.lifeboat.stage.storage;

import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.crypto.TransportSeal;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryNotFoundException;
import io.lifeboat.core.repo.WrongKeyException;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.FailoverBackend;
import io.lifeboat.events.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * The repository opened with the master key: what the services that seal, hash, verify or restore
 * hold (dump, seal, verify, the recovery executor). The upload stage gets only {@link
 * StorageAccess}.
 */
public final class RepositoryAccess {

  private static final long REREAD_PRIMARY_NANOS = 60_000_000_000L;

  private final StorageAccess storage;
  private final String keyFile;
  private volatile @Nullable MasterKey key;
  private volatile @Nullable TransportSeal transport;
  private volatile @Nullable Repository repository;
  private volatile @Nullable Repository readRepository;
  private volatile long readRepositoryAt;
  private final ConcurrentLinkedQueue<String> readNotices = new ConcurrentLinkedQueue<>();

  public RepositoryAccess(StorageAccess storage, RepositoryProperties settings) {
    this.storage = storage;
    this.keyFile = settings.keyFile();
  }

  /** The replicas, by the location string they were configured with. */
  public Map<String, Backend> replicas() {
    return storage.replicas();
  }

  /** The master key: {@value MasterKey#ENV}, else the key file; fails saying what to set. */
  public MasterKey masterKey() {
    MasterKey k = key;
    if (k == null) {
      try {
        k =
            MasterKey.find(keyFile == null ? null : Path.of(keyFile))
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "no master key: set "
                                + MasterKey.ENV
                                + " or lifeboat.repository.key-file (no file at "
                                + keyFile
                                + ")"));
      } catch (IOException e) {
        throw new IllegalStateException("no master key: " + e.getMessage(), e);
      }
      key = k;
    }
    return k;
  }

  /**
   * The key the dump stage signs its chunk lists ({@code BackupDumped}) with and the verify stage
   * checks them by: derived from the master key, which both hold, so no one without it can make
   * verify commit a manifest.
   */
  public byte[] dumpSignatureKey() {
    return masterKey().derive("sign " + Topics.BACKUP_DUMPS.name());
  }

  /** Seals chunks for their trip over Kafka between the dump and compress-encrypt stages. */
  public TransportSeal transportSeal() {
    TransportSeal t = transport;
    if (t == null) {
      t = new TransportSeal(masterKey());
      transport = t;
    }
    return t;
  }

  /** The opened repository; fails with a message that says what to do. */
  public Repository repository() {
    Repository r = repository;
    if (r == null) {
      synchronized (this) {
        if (repository == null) {
          repository = open(storage.primary());
        }
        r = repository;
      }
    }
    return r;
  }

  /**
   * The repository for reading (restores): the primary, falling back to the replicas in order when
   * a location is down or lacks an object. What it fell back from is told by {@link
   * #takeReadNotices()}. Made anew after a minute, so that reads go back to the primary once it has
   * returned.
   */
  public Repository readRepository() {
    if (storage.replicas().isEmpty()) {
      return repository();
    }
    Repository r = readRepository;
    if (r == null || System.nanoTime() - readRepositoryAt > REREAD_PRIMARY_NANOS) {
      synchronized (this) {
        if (readRepository == r) {
          readRepositoryAt = System.nanoTime();
          List<Backend> all = new ArrayList<>();
          all.add(storage.primary());
          all.addAll(storage.replicas().values());
          readRepository = open(new FailoverBackend(all, readNotices::add));
        }
        r =
            Objects.requireNonNull(
                readRepository); // just opened, or by another thread; never reset
      }
    }
    return r;
  }

  /**
   * What reads fell back from since the last call (for example "reading from B instead of A
   * (...)").
   */
  public List<String> takeReadNotices() {
    List<String> out = new ArrayList<>();
    for (String n; (n = readNotices.poll()) != null; ) {
      out.add(n);
    }
    return out;
  }

  private Repository open(Backend backend) {
    try {
      return Repository.open(backend, masterKey());
    } catch (RepositoryNotFoundException | WrongKeyException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
