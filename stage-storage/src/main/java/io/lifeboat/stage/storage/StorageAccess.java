package io.lifeboat.stage.storage;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The configured storage locations, opened, without the key: what the upload stage holds. It can
 * store and copy objects but read no backup.
 */
public final class StorageAccess implements AutoCloseable {

  private final Backend primary;
  private final Map<String, Backend> replicas = new LinkedHashMap<>();

  public StorageAccess(RepositoryProperties settings) {
    this(settings, null);
  }

  /**
   * @param meters where each location's operations are timed and counted ({@link MeteredBackend});
   *     null: not measured
   */
  public StorageAccess(RepositoryProperties settings, @Nullable MeterRegistry meters) {
    BackendRegistry registry = BackendRegistry.standard();
    this.primary = metered(registry.open(withFsync(settings.location(), settings.fsync())), meters);
    for (String r : settings.replicas()) {
      if (r != null && !r.isBlank()) {
        replicas.put(
            r.strip(), metered(registry.open(withFsync(r.strip(), settings.fsync())), meters));
      }
    }
  }

  private static Backend metered(Backend backend, @Nullable MeterRegistry meters) {
    return meters == null ? backend : new MeteredBackend(backend, meters);
  }

  private static String withFsync(String location, boolean fsync) {
    URI uri = BackendRegistry.toUri(location);
    return "file".equals(uri.getScheme()) && !fsync
        ? uri + (uri.getRawQuery() == null ? "?" : "&") + "fsync=false"
        : location;
  }

  /** The primary location. */
  public Backend primary() {
    return primary;
  }

  /** The replicas, by the location string they were configured with. */
  public Map<String, Backend> replicas() {
    return Collections.unmodifiableMap(replicas);
  }

  @Override
  public void close() {
    primary.close();
    replicas.values().forEach(Backend::close);
  }
}
