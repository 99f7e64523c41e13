package io.lifeboat.storage.gcs;

import io.lifeboat.core.storage.StorageException;
import io.lifeboat.storage.LocationQuery;
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
    if (uri.getRawUserInfo() != null) {
      throw StorageException.permanent(
          "gcs location must not carry credentials; they come from Application Default Credentials", null);
    }
    String bucket = uri.getAuthority();
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9._\\-]{1,220}[a-z0-9]")) {
      throw StorageException.permanent(
          "gcs location needs a valid bucket name (3-222 of a-z 0-9 . _ -): gs://bucket/prefix", null);
    }
    LocationQuery.parse(uri, Set.of());
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
    return new GcsLocation(bucket, path.isEmpty() ? "" : path + "/");
  }

  /** For messages and events. */
  public String display() {
    return "gs://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
  }
}
