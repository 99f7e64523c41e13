package io.lifeboat.core.policy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Options in a spec's query ({@code ?passwordFile=...}), read before any provider parses it. */
public final class SpecQuery {

  private SpecQuery() {}

  /**
   * Every decoded value of the options whose decoded name is {@code name}: a reader that takes the
   * last one, or decodes names, must not see one the policy did not.
   */
  public static List<String> parameters(URI uri, String name) {
    String query = uri.getRawQuery();
    List<String> values = new ArrayList<>();
    if (query == null) {
      return values;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
        values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }
}
