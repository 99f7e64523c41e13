package io.lifeboat.provider.files;

import io.lifeboat.core.provider.InvalidSourceException;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a tree source spec after {@code kind:}: an absolute path, optionally followed by
 * {@code ?include=GLOB,GLOB&exclude=GLOB}. A glob without '/' matches file names anywhere in the
 * tree; one with '/' matches paths relative to the root. Folders are always walked; include and
 * exclude select files (and symlinks).
 *
 * @param root the folder or file
 * @param include globs a file must match (empty: every file)
 * @param exclude globs that drop a file
 */
record TreeSpec(Path root, List<String> include, List<String> exclude) {

  TreeSpec {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  static TreeSpec parse(String kind, String location) throws InvalidSourceException {
    String path = location;
    List<String> include = new ArrayList<>();
    List<String> exclude = new ArrayList<>();
    int q = location.indexOf('?');
    if (q >= 0) {
      path = location.substring(0, q);
      for (String part : location.substring(q + 1).split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String key = eq < 0 ? part : part.substring(0, eq);
        List<String> values = eq < 0 ? List.of() : List.of(part.substring(eq + 1).split(","));
        switch (key) {
          case "include" -> include.addAll(values);
          case "exclude" -> exclude.addAll(values);
          default ->
              throw new InvalidSourceException(
                  kind + ": unknown option '" + key + "' (include, exclude)");
        }
      }
    }
    if (path.startsWith("//")) {
      path = path.substring(2);
    }
    if (path.isBlank()) {
      throw new InvalidSourceException(kind + " needs a path: " + kind + ":/absolute/path");
    }
    try {
      Path p = Path.of(path);
      if (!p.isAbsolute()) {
        throw new InvalidSourceException(
            kind
                + " needs an absolute path (the stage may run elsewhere): "
                + kind
                + ":"
                + location);
      }
      for (String glob : include) {
        matcher(glob);
      }
      for (String glob : exclude) {
        matcher(glob);
      }
      return new TreeSpec(p.normalize(), include, exclude);
    } catch (InvalidPathException e) {
      throw new InvalidSourceException("not a valid path: " + path);
    } catch (IllegalArgumentException e) {
      throw new InvalidSourceException(kind + ": bad glob: " + e.getMessage());
    }
  }

  /** The spec as written back (normalized). */
  String display(String kind) {
    StringBuilder b = new StringBuilder(kind).append(':').append(root);
    String sep = "?";
    if (!include.isEmpty()) {
      b.append(sep).append("include=").append(String.join(",", include));
      sep = "&";
    }
    if (!exclude.isEmpty()) {
      b.append(sep).append("exclude=").append(String.join(",", exclude));
    }
    return b.toString();
  }

  /** Whether a file (or symlink) at this relative path belongs in the backup. */
  boolean selects(Path relative) {
    if (!include.isEmpty() && include.stream().noneMatch(g -> matches(g, relative))) {
      return false;
    }
    return exclude.stream().noneMatch(g -> matches(g, relative));
  }

  private static boolean matches(String glob, Path relative) {
    PathMatcher m = matcher(glob);
    return glob.contains("/")
        ? m.matches(relative)
        : relative.getFileName() != null && m.matches(relative.getFileName());
  }

  private static PathMatcher matcher(String glob) {
    return FileSystems.getDefault().getPathMatcher("glob:" + glob);
  }
}
