package io.lifeboat.core.storage.local;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendFactory;
import io.lifeboat.core.storage.StorageException;
import java.net.URI;
import java.nio.file.Path;

/**
 * {@code file:///path[?fsync=false]}. Objects are synced to disk before they count as written
 * unless {@code fsync=false}.
 */
public final class LocalBackendFactory implements BackendFactory {

  @Override
  public String scheme() {
    return "file";
  }

  @Override
  public Backend create(URI location) {
    if (location.getPath() == null || location.getPath().isEmpty()) {
      throw StorageException.permanent("file location needs an absolute path: file:///path", null);
    }
    boolean fsync = !"fsync=false".equals(location.getQuery());
    return new LocalBackend(Path.of(location.getPath()), fsync);
  }
}
