package io.lifeboat.core.testing;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendFactory;
import io.lifeboat.core.storage.local.LocalBackend;
import java.net.URI;
import java.nio.file.Path;

/**
 * {@code flaky:/path?rate=0.3&seed=7}: a local folder behind a {@link FlakyBackend} (tests only).
 */
public final class FlakyBackendFactory implements BackendFactory {

  @Override
  public String scheme() {
    return "flaky";
  }

  @Override
  public Backend create(URI location) {
    double rate = 0.3;
    long seed = 1;
    String query = location.getQuery();
    if (query != null) {
      for (String part : query.split("&")) {
        String[] kv = part.split("=", 2);
        if (kv[0].equals("rate")) {
          rate = Double.parseDouble(kv[1]);
        } else if (kv[0].equals("seed")) {
          seed = Long.parseLong(kv[1]);
        }
      }
    }
    String path = location.getSchemeSpecificPart();
    int q = path.indexOf('?');
    return new FlakyBackend(
        new LocalBackend(Path.of(q < 0 ? path : path.substring(0, q)), false), rate, seed);
  }
}
