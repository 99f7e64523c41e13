package io.lifeboat.provider.files;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code files:/path}: a folder tree or a single file, with permissions, times, ownership and
 * symlinks. Restores into a folder. The stream is a pax tar (see {@link TreeArchiver}).
 */
public final class FilesProvider implements ComponentProvider {

  @Override
  public String kind() {
    return "files";
  }

  @Override
  public ComponentSource parse(String spec) throws InvalidSourceException {
    String prefix = kind() + ":";
    if (spec == null || !spec.startsWith(prefix)) {
      throw new InvalidSourceException("not a " + kind() + " spec: " + spec);
    }
    String location = spec.substring(prefix.length());
    if (location.startsWith("//")) {
      location = location.substring(2);
    }
    if (location.isBlank()) {
      throw new InvalidSourceException(kind() + " needs a path: " + kind() + ":/absolute/path");
    }
    try {
      Path path = Path.of(location);
      if (!path.isAbsolute()) {
        throw new InvalidSourceException(
            kind() + " needs an absolute path (the stage may run elsewhere): " + spec);
      }
      String normalized = path.normalize().toString();
      return new ComponentSource(kind(), normalized, kind() + ":" + normalized);
    } catch (InvalidPathException e) {
      throw new InvalidSourceException("not a valid path: " + location);
    }
  }

  @Override
  public List<String> check(ComponentSource source) {
    Path path = Path.of(source.location());
    if (!Files.exists(path)) {
      return List.of("path " + path + " does not exist");
    }
    if (!Files.isReadable(path)) {
      return List.of("path " + path + " is not readable");
    }
    if (!Files.isDirectory(path) && !Files.isRegularFile(path)) {
      return List.of("path " + path + " is neither a folder nor a regular file");
    }
    return List.of();
  }

  @Override
  public DumpResult dump(ComponentSource source, OutputStream out) throws IOException {
    TreeArchiver.Counts counts = new TreeArchiver().archive(Path.of(source.location()), out);
    return new DumpResult(counts.asMetadata(), counts.warnings);
  }

  @Override
  public List<String> checkTarget(RestoreTarget target) {
    Path path;
    try {
      path = Path.of(target.spec());
    } catch (InvalidPathException e) {
      return List.of("not a valid folder path: " + target.spec());
    }
    if (!Files.exists(path)) {
      Path parent = path.toAbsolutePath().getParent();
      while (parent != null && !Files.exists(parent)) {
        parent = parent.getParent();
      }
      return parent != null && Files.isWritable(parent)
          ? List.of()
          : List.of("cannot create folder " + path + " (parent not writable)");
    }
    if (!Files.isDirectory(path)) {
      return List.of(path + " exists and is not a folder");
    }
    if (!target.overwrite() && !isEmpty(path)) {
      return List.of("target folder " + path + " is not empty (restore with --force to write into it)");
    }
    return Files.isWritable(path) ? List.of() : List.of("target folder " + path + " is not writable");
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    new TreeExtractor().extract(stream, Path.of(target.spec()), target.overwrite());
  }
}
