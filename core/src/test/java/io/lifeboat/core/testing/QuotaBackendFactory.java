package io.lifeboat.core.testing;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendFactory;
import io.lifeboat.core.storage.local.LocalBackend;
import java.net.URI;
import java.nio.file.Path;

/**
 * {@code quota:/path?limitFile=/file}: a local folder behind a {@link QuotaBackend} (tests only).
 */
public final class QuotaBackendFactory implements BackendFactory {

  @Override
  public String scheme() {
    return "quota";
  }

  @Override
  public Backend create(URI location) {
    String path = location.getSchemeSpecificPart();
    int q = path.indexOf('?');
    Path root = Path.of(q < 0 ? path : path.substring(0, q));
    Path limitFile = root.resolveSibling(root.getFileName() + ".limit");
    String query = location.getQuery();
    if (query != null) {
      for (String part : query.split("&")) {
        String[] kv = part.split("=", 2);
        if (kv[0].equals("limitFile")) {
          limitFile = Path.of(kv[1]);
        }
      }
    }
    return new QuotaBackend(new LocalBackend(root, false), limitFile);
  }
}
