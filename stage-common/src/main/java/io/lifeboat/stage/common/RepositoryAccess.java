package io.lifeboat.stage.common;

import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryNotFoundException;
import io.lifeboat.core.repo.WrongKeyException;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendRegistry;
import io.lifeboat.core.storage.local.LocalBackend;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens the configured repository. The upload stage needs only {@link #backend()} and never
 * holds the key; stages that seal, hash or verify open the {@link #repository()}.
 */
public final class RepositoryAccess implements AutoCloseable {

  private final LifeboatProperties.Repository settings;
  private final Backend backend;
  private volatile Repository repository;

  public RepositoryAccess(LifeboatProperties.Repository settings) {
    this.settings = settings;
    URI uri = BackendRegistry.toUri(settings.location());
    this.backend =
        "file".equals(uri.getScheme())
            ? new LocalBackend(Path.of(uri), settings.fsync())
            : BackendRegistry.standard().open(uri);
  }

  public Backend backend() {
    return backend;
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
  }
}
