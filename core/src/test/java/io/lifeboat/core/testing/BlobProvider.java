package io.lifeboat.core.testing;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.provider.HealthReport;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    return Files.isRegularFile(Path.of(source.location()))
        ? List.of()
        : List.of("no file " + source.location());
  }

  @Override
  public DumpResult dump(ComponentSource source, OutputStream out) throws IOException {
    long n = Files.copy(Path.of(source.location()), out);
    return new DumpResult(Map.of("bytes", Long.toString(n)), List.of());
  }

  @Override
  public List<String> checkTarget(RestoreTarget target) {
    Path p = Path.of(target.spec());
    return Files.exists(p) && target.occupied() != RestoreTarget.Occupied.REPLACE
        ? List.of(p + " exists")
        : List.of();
  }

  @Override
  public boolean occupied(RestoreTarget target) {
    return Files.exists(Path.of(target.spec()));
  }

  @Override
  public Aside moveAside(RestoreTarget target) throws IOException {
    Path p = Path.of(target.spec());
    Path aside = p.resolveSibling(p.getFileName() + ".aside");
    Files.move(p, aside);
    return new Aside("blob", target.spec(), aside.toString(), Instant.now());
  }

  @Override
  public void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(Path.of(target.spec()))) {
      stream.transferTo(out);
    }
  }

  @Override
  public HealthReport healthCheck(RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    long size = Files.size(Path.of(target.spec()));
    return size == Long.parseLong(metadata.get("bytes"))
        ? new HealthReport(List.of("size " + size), List.of())
        : new HealthReport(
            List.of(), List.of("size " + size + " but the backup had " + metadata.get("bytes")));
  }

  @Override
  public void rollBack(RestoreTarget target, Optional<Aside> aside) throws IOException {
    Files.deleteIfExists(Path.of(target.spec()));
    if (aside.isPresent()) {
      Files.move(Path.of(aside.get().location()), Path.of(target.spec()));
    }
  }

  @Override
  public void dropAside(Aside aside) throws IOException {
    Files.deleteIfExists(Path.of(aside.location()));
  }
}
