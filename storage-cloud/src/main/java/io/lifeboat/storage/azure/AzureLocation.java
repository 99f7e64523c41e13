package io.lifeboat.storage.azure;

import io.lifeboat.core.storage.StorageException;
import io.lifeboat.storage.LocationQuery;
import io.lifeboat.storage.common.Locations;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed {@code azure://account/container/prefix?endpoint=...} location. The endpoint defaults to
 * {@code https://<account>.blob.core.windows.net}; give it for Azurite, sovereign clouds or a
 * private endpoint. Credentials never come from the location (see {@link AzureBackend}).
 */
public record AzureLocation(
    String account, String container, String prefix, Optional<URI> endpoint) {

  private static final Set<String> OPTIONS = Set.of("endpoint");

  public static AzureLocation parse(URI uri) {
    if (!"azure".equals(uri.getScheme()) || uri.isOpaque()) {
      throw StorageException.permanent(
          "azure location must look like azure://account/container/prefix", null);
    }
    Locations.refuseCredentials(
        uri,
        "azure location must not carry credentials; use AZURE_STORAGE_CONNECTION_STRING,"
            + " AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN");
    String account =
        Locations.authority(
            uri,
            "[a-z0-9]{3,24}",
            "azure location needs a storage account name (3-24 of a-z 0-9): azure://account/container/prefix");
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
    int slash = path.indexOf('/');
    String container = slash < 0 ? path : path.substring(0, slash);
    if (!container.matches("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}")) {
      throw StorageException.permanent(
          "azure location needs a container name (3-63 of a-z 0-9 -): azure://account/container/prefix",
          null);
    }
    String prefix = slash < 0 ? "" : path.substring(slash + 1).replaceAll("/+$", "");
    LocationQuery q = LocationQuery.parse(uri, OPTIONS);
    Optional<URI> endpoint =
        q.get("endpoint")
            .map(
                e ->
                    Locations.httpEndpoint(
                        e.replaceAll("/+$", ""),
                        q,
                        "an http(s) URL without credentials or SAS token"));
    return new AzureLocation(account, container, prefix.isEmpty() ? "" : prefix + "/", endpoint);
  }

  /** The blob service URL requests go to. */
  public String serviceUrl() {
    return endpoint.map(URI::toString).orElse("https://" + account + ".blob.core.windows.net");
  }

  /** For messages and events: account, container, prefix, and the endpoint when given. */
  public String display() {
    String p = prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1);
    return "azure://"
        + account
        + "/"
        + container
        + p
        + endpoint.map(e -> "?endpoint=" + e).orElse("");
  }
}
