package io.lifeboat.provider.files;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.RestoreTarget;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A folder (or file) a tree is restored into: whether it is occupied, and moving it aside to {@code
 * <name>.lifeboat-aside-<time>} next to it, putting it back, dropping it.
 */
final class FolderTarget {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private FolderTarget() {}

  static Path path(RestoreTarget target) throws IOException {
    try {
      return Path.of(target.spec()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IOException("not a valid path: " + target.spec());
    }
  }

  static boolean occupied(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isPresent();
    }
  }

  /** Problems with restoring a folder tree into the target, given its occupied-policy. */
  static List<String> check(RestoreTarget target, boolean folder) {
    List<String> problems = new ArrayList<>();
    Path p;
    try {
      p = path(target);
    } catch (IOException e) {
      return List.of(e.getMessage());
    }
    try {
      if (occupied(p)) {
        if (folder && Files.exists(p) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          problems.add(p + " exists and is not a folder");
        } else if (target.occupied() == RestoreTarget.Occupied.REFUSE) {
          problems.add(
              p
                  + " is not empty (restore with --replace to move it aside, or --force to write into it)");
        } else if (target.occupied() == RestoreTarget.Occupied.MERGE && !folder) {
          problems.add(p + " exists; --force cannot merge into a file, use --replace");
        }
      }
    } catch (IOException e) {
      problems.add("cannot look at " + p + ": " + e.getMessage());
    }
    Path parent = p.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isWritable(parent)) {
      problems.add(
          "cannot create or replace "
              + p
              + " ("
              + (parent == null ? "no parent" : parent + " is not writable")
              + ")");
    }
    return problems;
  }

  static Aside moveAside(String kind, RestoreTarget target) throws IOException {
    Path p = path(target);
    Instant now = Instant.now();
    Path aside = p.resolveSibling(p.getFileName() + ".lifeboat-aside-" + STAMP.format(now));
    Files.move(p, aside);
    return new Aside(kind, target.spec(), aside.toString(), now);
  }

  static void rollBack(RestoreTarget target, Optional<Aside> aside) throws IOException {
    Path p = path(target);
    if (aside.isPresent()) {
      Path kept = Path.of(aside.get().location());
      if (!Files.exists(kept, LinkOption.NOFOLLOW_LINKS)) {
        // without the original, the restored data is all there is: keep it
        throw new IOException(
            "the original of "
                + p
                + " is no longer at "
                + kept
                + "; the restored data is left in place");
      }
      deleteRecursively(p);
      Files.move(kept, p);
    } else {
      deleteRecursively(p);
    }
  }

  static void dropAside(Aside aside) throws IOException {
    deleteRecursively(Path.of(aside.location()));
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(p);
      return;
    }
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            dir.toFile().setWritable(true, true);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
