package io.lifeboat.storage.gcs;

import com.google.cloud.storage.StorageOptions;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendFactory;
import java.net.URI;

/**
 * {@code gs://bucket/prefix}, with Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS,
 * gcloud's user credentials, or the metadata server on Google Cloud). Registered through the
 * ServiceLoader so that core needs no Google client.
 */
public final class GcsBackendFactory implements BackendFactory {

  @Override
  public String scheme() {
    return "gs";
  }

  @Override
  public Backend create(URI location) {
    GcsLocation loc = GcsLocation.parse(location);
    return new GcsBackend(loc, StorageOptions.getDefaultInstance().getService());
  }
}
