package io.lifeboat.core.storage.mem;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendFactory;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code mem:name}: the same name opens the same in-memory store within one JVM. */
public final class MemBackendFactory implements BackendFactory {

  private static final Map<String, MemBackend> STORES = new ConcurrentHashMap<>();

  @Override
  public String scheme() {
    return "mem";
  }

  @Override
  public Backend create(URI location) {
    String name = location.getSchemeSpecificPart();
    return STORES.computeIfAbsent(name, MemBackend::new);
  }
}
