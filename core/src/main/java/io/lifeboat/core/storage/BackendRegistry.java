package io.lifeboat.core.storage;

import io.lifeboat.core.storage.local.LocalBackendFactory;
import io.lifeboat.core.storage.mem.MemBackendFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Opens a backend from a location string: {@code file:///srv/backups}, a plain absolute path,
 * {@code mem:name}, or any scheme a {@link BackendFactory} on the classpath registers.
 */
public final class BackendRegistry {

  private final Map<String, BackendFactory> factories = new TreeMap<>();

  private BackendRegistry() {}

  /** The built-in factories plus every one found by the ServiceLoader. */
  public static BackendRegistry standard() {
    BackendRegistry registry = new BackendRegistry();
    registry.register(new LocalBackendFactory());
    registry.register(new MemBackendFactory());
    for (BackendFactory f : ServiceLoader.load(BackendFactory.class)) {
      registry.register(f);
    }
    return registry;
  }

  public void register(BackendFactory factory) {
    BackendFactory old = factories.putIfAbsent(factory.scheme(), factory);
    if (old != null && old.getClass() != factory.getClass()) {
      throw new IllegalStateException("two backends claim scheme " + factory.scheme());
    }
  }

  public Backend open(String location) {
    return open(toUri(location));
  }

  public Backend open(URI location) {
    BackendFactory f = factories.get(location.getScheme());
    if (f == null) {
      throw StorageException.permanent(
          "unknown storage scheme '" + location.getScheme() + "' (known: " + factories.keySet() + ")",
          null);
    }
    return f.create(location);
  }

  /** A location as a URI: plain paths become file: URIs. */
  public static URI toUri(String location) {
    if (location.startsWith("/") || location.startsWith("./") || location.startsWith("~")) {
      String expanded =
          location.startsWith("~") ? System.getProperty("user.home") + location.substring(1) : location;
      return Path.of(expanded).toAbsolutePath().normalize().toUri();
    }
    try {
      URI uri = new URI(location);
      if (uri.getScheme() == null) {
        return Path.of(location).toAbsolutePath().normalize().toUri();
      }
      return uri;
    } catch (URISyntaxException e) {
      throw StorageException.permanent("not a storage location: " + e.getReason() + " at index " + e.getIndex(), null);
    }
  }
}
