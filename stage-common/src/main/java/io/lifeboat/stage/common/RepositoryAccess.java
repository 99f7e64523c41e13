package io.lifeboat.stage.common;

import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryNotFoundException;
import io.lifeboat.core.repo.WrongKeyException;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens the configured repository. The upload stage needs only {@link #backend()} and never
 * holds the key; stages that seal, hash or verify open the {@link #repository()}.
 */
public final class RepositoryAccess implements AutoCloseable {

  private final LifeboatProperties.Repository settings;
  private final Backend backend;
  private final Map<String, Backend> replicas = new LinkedHashMap<>();
  private volatile Repository repository;
  private volatile Repository readRepository;
  private volatile long readRepositoryAt;
  private final java.util.concurrent.ConcurrentLinkedQueue<String> readNotices = new java.util.concurrent.ConcurrentLinkedQueue<>();

  public RepositoryAccess(LifeboatProperties.Repository settings) {
    this.settings = settings;
    BackendRegistry registry = BackendRegistry.standard();
    this.backend = registry.open(withFsync(settings.location(), settings.fsync()));
    for (String r : settings.replicas()) {
      if (r != null && !r.isBlank()) {
        replicas.put(r.strip(), registry.open(withFsync(r.strip(), settings.fsync())));
      }
    }
  }

  private static String withFsync(String location, boolean fsync) {
    URI uri = BackendRegistry.toUri(location);
    return "file".equals(uri.getScheme()) && !fsync ? uri + (uri.getRawQuery() == null ? "?" : "&") + "fsync=false" : location;
  }

  /** The primary location. */
  public Backend backend() {
    return backend;
  }

  /** The replicas, by the location string they were configured with. */
  public Map<String, Backend> replicas() {
    return Collections.unmodifiableMap(replicas);
  }

  /** The opened repository; fails with a message that says what to do. */
  public Repository repository() {
    Repository r = repository;
    if (r == null) {
      synchronized (this) {
        if (repository == null) {
          repository = open();
        }
        r = repository;
      }
    }
    return r;
  }

  /**
   * The repository for reading (restores): the primary, falling back to the replicas in order
   * when a location is down or lacks an object. What it fell back from is told by
   * {@link #takeReadNotices()}. Made anew after a minute, so that reads go back to the primary
   * once it has returned.
   */
  public Repository readRepository() {
    if (replicas.isEmpty()) {
      return repository();
    }
    Repository r = readRepository;
    if (r == null || System.nanoTime() - readRepositoryAt > 60_000_000_000L) {
      synchronized (this) {
        if (readRepository == r) {
          readRepositoryAt = System.nanoTime();
          java.util.List<Backend> all = new java.util.ArrayList<>();
          all.add(backend);
          all.addAll(replicas.values());
          try {
            readRepository = Repository.open(new io.lifeboat.core.storage.FailoverBackend(all, readNotices::add), masterKey(settings));
          } catch (RepositoryNotFoundException | WrongKeyException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        }
        r = readRepository;
      }
    }
    return r;
  }

  /** What reads fell back from since the last call (for example "reading from B instead of A (...)"). */
  public java.util.List<String> takeReadNotices() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String n; (n = readNotices.poll()) != null; ) {
      out.add(n);
    }
    return out;
  }

  private Repository open() {
    try {
      return Repository.open(backend, masterKey(settings));
    } catch (RepositoryNotFoundException | WrongKeyException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The master key from LIFEBOAT_MASTER_KEY, else from the key file. */
  public static MasterKey masterKey(LifeboatProperties.Repository settings) {
    String env = System.getenv(MasterKey.ENV);
    if (env != null && !env.isBlank()) {
      return MasterKey.fromBase64(env, "environment variable " + MasterKey.ENV);
    }
    try {
      return MasterKey.fromFile(Path.of(settings.keyFile()));
    } catch (IOException e) {
      throw new IllegalStateException(
          "no master key: set " + MasterKey.ENV + " or lifeboat.repository.key-file (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public void close() {
    backend.close();
    replicas.values().forEach(Backend::close);
  }
}
