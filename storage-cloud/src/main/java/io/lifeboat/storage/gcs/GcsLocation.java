package io.lifeboat.storage.gcs;

import io.lifeboat.core.storage.StorageException;
import io.lifeboat.storage.LocationQuery;
import io.lifeboat.storage.common.Locations;
import java.net.URI;
import java.util.Set;

/**
 * A parsed {@code gs://bucket/prefix} location. It takes no options: credentials and project come
 * from Application Default Credentials, never from the location.
 */
public record GcsLocation(String bucket, String prefix) {

  public static GcsLocation parse(URI uri) {
    if (!"gs".equals(uri.getScheme()) || uri.isOpaque()) {
      throw StorageException.permanent("gcs location must look like gs://bucket/prefix", null);
    }
    Locations.refuseCredentials(
        uri,
        "gcs location must not carry credentials; they come from Application Default Credentials");
    String bucket =
        Locations.authority(
            uri,
            "[a-z0-9][a-z0-9._\\-]{1,220}[a-z0-9]",
            "gcs location needs a valid bucket name (3-222 of a-z 0-9 . _ -): gs://bucket/prefix");
    LocationQuery.parse(uri, Set.of());
    return new GcsLocation(bucket, Locations.prefix(uri.getPath()));
  }

  /** For messages and events. */
  public String display() {
    return "gs://"
        + bucket
        + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
  }
}
