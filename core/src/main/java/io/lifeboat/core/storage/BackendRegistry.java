package io.lifeboat.core.storage;

import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.storage.decorate.Backends;
import io.lifeboat.core.storage.decorate.StorageOptions;
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

  /**
   * Opens a location with the standard decorators (retry, logging, concurrency and bandwidth
   * limits), configured by Lifeboat's own query options ({@link StorageOptions}), which the backend
   * itself never sees.
   */
  public Backend open(String location) {
    URI uri = toUri(location);
    Map<String, String> ours = new java.util.LinkedHashMap<>();
    URI stripped = stripOptions(uri, ours);
    try {
      return Backends.decorate(openRaw(stripped), StorageOptions.from(ours));
    } catch (IllegalArgumentException e) {
      throw StorageException.permanent(
          "bad storage option in " + Redact.spec(location) + ": " + e.getMessage(), e);
    }
  }

  /** Opens a location without decorators. */
  public Backend openRaw(URI location) {
    BackendFactory f = factories.get(location.getScheme());
    if (f == null) {
      throw StorageException.permanent(
          "unknown storage scheme '"
              + location.getScheme()
              + "' (known: "
              + factories.keySet()
              + ")",
          null);
    }
    return f.create(location);
  }

  /** The URI without {@link StorageOptions#KEYS}; those go into {@code ours}. */
  static URI stripOptions(URI uri, Map<String, String> ours) {
    String query = uri.getRawQuery();
    if (uri.isOpaque() || query == null) {
      return uri;
    }
    java.util.List<String> kept = new java.util.ArrayList<>();
    for (String part : query.split("&")) {
      int eq = part.indexOf('=');
      String key = eq < 0 ? part : part.substring(0, eq);
      if (StorageOptions.KEYS.contains(key)) {
        ours.put(
            key,
            eq < 0
                ? ""
                : java.net.URLDecoder.decode(
                    part.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
      } else if (!part.isEmpty()) {
        kept.add(part);
      }
    }
    try {
      return new URI(
          uri.getScheme()
              + ":"
              + (uri.getRawAuthority() == null ? "" : "//" + uri.getRawAuthority())
              + (uri.getRawPath() == null ? "" : uri.getRawPath())
              + (kept.isEmpty() ? "" : "?" + String.join("&", kept)));
    } catch (URISyntaxException e) {
      throw StorageException.permanent("not a storage location: " + e.getReason(), null);
    }
  }

  /** A location as a URI: plain paths become file: URIs. */
  public static URI toUri(String location) {
    if (location.startsWith("/") || location.startsWith("./") || location.startsWith("~")) {
      String expanded =
          location.startsWith("~")
              ? System.getProperty("user.home") + location.substring(1)
              : location;
      return Path.of(expanded).toAbsolutePath().normalize().toUri();
    }
    try {
      URI uri = new URI(location);
      if (uri.getScheme() == null) {
        return Path.of(location).toAbsolutePath().normalize().toUri();
      }
      return uri;
    } catch (URISyntaxException e) {
      throw StorageException.permanent(
          "not a storage location: " + e.getReason() + " at index " + e.getIndex(), null);
    }
  }
}
