package io.lifeboat.provider.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a folder tree (or one file) as a POSIX (pax) tar stream ({@link PaxTarWriter}): the component stream of the
 * files provider. Entries come in sorted order and carry only what the tree holds (no archive
 * time), so an unchanged tree gives the same bytes and so the same chunks. Pax headers keep long
 * and non-ASCII names, sub-second modification times and sizes beyond 8 GiB. Anyone with the
 * decrypted stream can read it with tar.
 */
final class TreeArchiver {

  /** What was written and what was skipped. */
  static final class Counts {
    long files;
    long dirs;
    long links;
    long bytes;
    long skipped;
    final List<String> warnings = new ArrayList<>();

    Map<String, String> asMetadata() {
      return Map.of(
          "files", Long.toString(files),
          "dirs", Long.toString(dirs),
          "symlinks", Long.toString(links),
          "fileBytes", Long.toString(bytes),
          "skipped", Long.toString(skipped),
          "format", "pax-tar");
    }
  }

  private static final int MAX_WARNINGS_LISTED = 50;
  private final byte[] buffer = new byte[1 << 20];

  Counts archive(Path root, OutputStream out) throws IOException {
    Counts counts = new Counts();
    PaxTarWriter tar = new PaxTarWriter(out);
    BasicFileAttributes rootAttrs = Files.readAttributes(root, BasicFileAttributes.class);
    if (rootAttrs.isDirectory()) {
      walk(root, root, tar, counts);
    } else {
      add(root, root.getFileName().toString(), tar, counts);
    }
    tar.finish();
    return counts;
  }

  private void walk(Path root, Path dir, PaxTarWriter tar, Counts counts) throws IOException {
    String name = dir.equals(root) ? "./" : root.relativize(dir) + "/";
    add(dir, name, tar, counts);
    List<Path> children = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.forEach(children::add);
    } catch (AccessDeniedException e) {
      warn(counts, "cannot list folder " + dir + ": permission denied (its contents are not in the backup)");
      return;
    }
    children.sort(null);
    for (Path child : children) {
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        walk(root, child, tar, counts);
      } else {
        add(child, root.relativize(child).toString(), tar, counts);
      }
    }
  }

  private void add(Path path, String name, PaxTarWriter tar, Counts counts) throws IOException {
    Map<String, Object> attrs;
    try {
      attrs =
          Files.readAttributes(
              path,
              "unix:mode,uid,gid,size,lastModifiedTime,isDirectory,isRegularFile,isSymbolicLink",
              LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      warn(counts, "cannot read attributes of " + path + ": " + e.getMessage());
      return;
    }
    int mode = ((Integer) attrs.get("mode")) & 07777;
    long uid = ((Integer) attrs.get("uid")).longValue();
    long gid = ((Integer) attrs.get("gid")).longValue();
    FileTime mtime = (FileTime) attrs.get("lastModifiedTime");
    if ((Boolean) attrs.get("isSymbolicLink")) {
      String target = Files.readSymbolicLink(path).toString();
      tar.begin(name, PaxTarWriter.SYMLINK, mode, uid, gid, 0, mtime, target);
      tar.end();
      counts.links++;
    } else if ((Boolean) attrs.get("isDirectory")) {
      tar.begin(name, PaxTarWriter.DIRECTORY, mode, uid, gid, 0, mtime, null);
      tar.end();
      counts.dirs++;
    } else if ((Boolean) attrs.get("isRegularFile")) {
      long size = (Long) attrs.get("size");
      InputStream in;
      try {
        in = Files.newInputStream(path);
      } catch (IOException e) {
        warn(counts, "cannot read " + path + ": " + e.getMessage());
        return;
      }
      try (in) {
        tar.begin(name, PaxTarWriter.FILE, mode, uid, gid, size, mtime, null);
        long copied = copy(in, tar, size);
        if (copied < size) {
          // The file shrank while we read it: pad to the size the header promised.
          warn(counts, path + " shrank while being read (" + copied + " of " + size + " bytes); padded with zeros");
          pad(tar, size - copied);
        }
        tar.end();
        counts.files++;
        counts.bytes += size;
      }
    } else {
      warn(counts, "skipped " + path + ": not a regular file, folder or symlink (device, socket or pipe)");
    }
  }

  /** Copies at most {@code limit} bytes: a file growing while read is cut at its size when seen. */
  private long copy(InputStream in, PaxTarWriter out, long limit) throws IOException {
    long done = 0;
    while (done < limit) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - done));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      done += n;
    }
    return done;
  }

  private void pad(PaxTarWriter out, long n) throws IOException {
    java.util.Arrays.fill(buffer, (byte) 0);
    while (n > 0) {
      int k = (int) Math.min(buffer.length, n);
      out.write(buffer, 0, k);
      n -= k;
    }
  }

  private static void warn(Counts counts, String message) {
    counts.skipped++;
    if (counts.warnings.size() < MAX_WARNINGS_LISTED) {
      counts.warnings.add(message);
    } else if (counts.warnings.size() == MAX_WARNINGS_LISTED) {
      counts.warnings.add("more warnings not listed");
    }
  }
}
