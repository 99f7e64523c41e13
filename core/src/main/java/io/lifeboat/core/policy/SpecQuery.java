package io.lifeboat.core.policy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Options in a spec's query ({@code ?passwordFile=...}), read before any provider parses it. */
public final class SpecQuery {

  private SpecQuery() {}

  /** The decoded value of the first {@code name=} in the URI's query, or null. */
  public static @Nullable String parameter(URI uri, String name) {
    String query = uri.getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
