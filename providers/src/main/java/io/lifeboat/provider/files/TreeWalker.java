package io.lifeboat.provider.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Visits a tree in the one order every Lifeboat tree stream uses: a folder before its children,
 * children sorted by name, symlinks never followed. The dump and the post-restore health check both
 * walk with it, so they see the same entries in the same order.
 */
final class TreeWalker {

  /** What kind of entry. */
  enum Type {
    DIR,
    FILE,
    LINK
  }

  /**
   * One entry.
   *
   * @param path where it is
   * @param name its name in the stream ("docs/" for folders, "./" for the root folder)
   * @param type kind of entry
   * @param mode permission bits
   * @param uid owner
   * @param gid group
   * @param size bytes (files)
   * @param mtime modification time
   * @param linkTarget target (links)
   */
  record Entry(
      Path path,
      String name,
      Type type,
      int mode,
      long uid,
      long gid,
      long size,
      FileTime mtime,
      @Nullable String linkTarget) {}

  /** Receives entries and warnings. */
  interface Visitor {
    void entry(Entry e) throws IOException;

    void warn(String message);
  }

  private TreeWalker() {}

  static void walk(TreeSpec spec, Visitor visitor) throws IOException {
    Path root = spec.root();
    if (Files.isDirectory(root)) {
      walkDir(spec, root, root, visitor);
    } else {
      visit(root, root.getFileName().toString(), visitor);
    }
  }

  private static void walkDir(TreeSpec spec, Path root, Path dir, Visitor visitor)
      throws IOException {
    visit(dir, dir.equals(root) ? "./" : root.relativize(dir) + "/", visitor);
    List<Path> children = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.forEach(children::add);
    } catch (AccessDeniedException e) {
      visitor.warn(
          "cannot list folder " + dir + ": permission denied (its contents are not in the backup)");
      return;
    } catch (java.nio.file.NoSuchFileException e) {
      visitor.warn(dir + " was deleted during the backup; not included");
      return;
    }
    children.sort(null);
    for (Path child : children) {
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        walkDir(spec, root, child, visitor);
      } else if (spec.selects(root.relativize(child))) {
        visit(child, root.relativize(child).toString(), visitor);
      }
    }
  }

  private static void visit(Path path, String name, Visitor visitor) throws IOException {
    Map<String, Object> a;
    try {
      a =
          Files.readAttributes(
              path,
              "unix:mode,uid,gid,size,lastModifiedTime,isDirectory,isRegularFile,isSymbolicLink",
              LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      visitor.warn(path + " was deleted during the backup; not included");
      return;
    } catch (java.nio.file.AccessDeniedException e) {
      visitor.warn("cannot read attributes of " + path + ": permission denied");
      return;
    } catch (IOException e) {
      visitor.warn("cannot read attributes of " + path + ": " + e.getMessage());
      return;
    }
    int mode = attribute(a, "mode", Integer.class) & 07777;
    long uid = attribute(a, "uid", Integer.class).longValue();
    long gid = attribute(a, "gid", Integer.class).longValue();
    FileTime mtime = attribute(a, "lastModifiedTime", FileTime.class);
    if (attribute(a, "isSymbolicLink", Boolean.class)) {
      visitor.entry(
          new Entry(
              path,
              name,
              Type.LINK,
              mode,
              uid,
              gid,
              0,
              mtime,
              Files.readSymbolicLink(path).toString()));
    } else if (attribute(a, "isDirectory", Boolean.class)) {
      visitor.entry(new Entry(path, name, Type.DIR, mode, uid, gid, 0, mtime, null));
    } else if (attribute(a, "isRegularFile", Boolean.class)) {
      visitor.entry(
          new Entry(
              path,
              name,
              Type.FILE,
              mode,
              uid,
              gid,
              attribute(a, "size", Long.class),
              mtime,
              null));
    } else {
      visitor.warn(
          "skipped " + path + ": not a regular file, folder or symlink (device, socket or pipe)");
    }
  }

  /** One of the attributes asked for: readAttributes returns every one it was asked for. */
  private static <T> T attribute(Map<String, Object> attributes, String name, Class<T> type) {
    return type.cast(Objects.requireNonNull(attributes.get(name), name));
  }
}
