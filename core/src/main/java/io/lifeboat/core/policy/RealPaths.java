package io.lifeboat.core.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths as the file system resolves them: what a rule about folders must look at. */
public final class RealPaths {

  private RealPaths() {}

  /**
   * The path absolute, normalized, with symbolic links resolved as far as it exists: the real path
   * of its nearest existing parent, then the rest as written. {@code /srv/x/../prod}, {@code
   * /srv//prod}, {@code /srv/./prod} and a link to {@code /srv/prod} all become {@code /srv/prod}.
   */
  public static Path real(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    } catch (IOException e) {
      return abs;
    }
  }
}
