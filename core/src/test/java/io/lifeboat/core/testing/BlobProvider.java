package io.lifeboat.core.testing;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The simplest provider: one file as the stream ({@code blob:/path}); restores to a file path. */
public final class BlobProvider implements ComponentProvider {

  @Override
  public String kind() {
    return "blob";
  }

  @Override
  public ComponentSource parse(String spec) throws InvalidSourceException {
    if (!spec.startsWith("blob:/")) {
      throw new InvalidSourceException("blob needs an absolute path: " + spec);
    }
    return new ComponentSource("blob", spec.substring(5), spec);
  }

  @Override
  public List<String> check(ComponentSource source) {
    return Files.isRegularFile(Path.of(source.location())) ? List.of() : List.of("no file " + source.location());
  }

  @Override
  public DumpResult dump(ComponentSource source, OutputStream out) throws IOException {
    long n = Files.copy(Path.of(source.location()), out);
    return new DumpResult(Map.of("bytes", Long.toString(n)), List.of());
  }

  @Override
  public List<String> checkTarget(RestoreTarget target) {
    Path p = Path.of(target.spec());
    return Files.exists(p) && !target.overwrite() ? List.of(p + " exists") : List.of();
  }

  @Override
  public void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(Path.of(target.spec()))) {
      stream.transferTo(out);
    }
  }
}
