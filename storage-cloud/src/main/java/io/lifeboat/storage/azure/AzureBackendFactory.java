package io.lifeboat.storage.azure;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendFactory;
import java.net.URI;

/**
 * {@code azure://account/container/prefix[?endpoint=...]}: see {@link AzureBackend} for where
 * credentials come from. Registered through the ServiceLoader so that core needs no Azure SDK.
 */
public final class AzureBackendFactory implements BackendFactory {

  @Override
  public String scheme() {
    return "azure";
  }

  @Override
  public Backend create(URI location) {
    return new AzureBackend(AzureLocation.parse(location));
  }
}
