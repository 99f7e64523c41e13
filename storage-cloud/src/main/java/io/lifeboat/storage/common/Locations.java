package io.lifeboat.storage.common;

import io.lifeboat.core.storage.StorageException;
import io.lifeboat.storage.LocationQuery;
import java.net.URI;

/**
 * The checks every cloud location makes alike on its URI. Credentials never come from a location,
 * and the errors never echo a value, so that a mistyped secret does not end up in a log.
 */
public final class Locations {

  private Locations() {}

  /**
   * Fails with {@code message} (which says where credentials come from) when the URI has user info.
   */
  public static void refuseCredentials(URI uri, String message) {
    if (uri.getRawUserInfo() != null) {
      throw StorageException.permanent(message, null);
    }
  }

  /**
   * The URI's authority (a bucket or account name) when it matches {@code pattern}; else fails with
   * {@code message}.
   */
  public static String authority(URI uri, String pattern, String message) {
    String authority = uri.getAuthority();
    if (authority == null || !authority.matches(pattern)) {
      throw StorageException.permanent(message, null);
    }
    return authority;
  }

  /**
   * The {@code endpoint} option: an http(s) URL with a host, without user info or a query;
   * otherwise an error saying it must be {@code expected}.
   */
  public static URI httpEndpoint(String value, LocationQuery q, String expected) {
    try {
      URI e = URI.create(value);
      if (("http".equals(e.getScheme()) || "https".equals(e.getScheme()))
          && e.getHost() != null
          && e.getRawUserInfo() == null
          && e.getRawQuery() == null) {
        return e;
      }
    } catch (IllegalArgumentException bad) {
      // falls through to the error below
    }
    throw q.invalid("endpoint", expected);
  }

  /** "" or a key prefix ending in '/', from a URI path such as "/backups/host1/". */
  public static String prefix(String path) {
    String p = path == null ? "" : path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? "" : p + "/";
  }
}
