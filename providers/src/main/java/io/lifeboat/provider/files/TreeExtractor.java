package io.lifeboat.provider.files;

import io.lifeboat.core.policy.RealPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Restores a stream written by {@link TreeArchiver} into a folder: files with their content,
 * permissions and times, empty folders, symlinks as links (never followed while writing), and
 * ownership when running as root. Entry names that would escape the target (absolute, "..", through
 * a symlink) stop the restore. A merge leaves the folders that were there (the target's root too)
 * with their mode, owner and times: it adds and replaces files, it does not re-permission a folder
 * such as a service's home.
 */
final class TreeExtractor {

  /**
   * A folder's recorded attributes, applied once its children are in.
   *
   * @param kept it existed before a merge: its mode, owner and times stay as they were
   */
  private record DirAttrs(Path path, int mode, FileTime mtime, long uid, long gid, boolean kept) {}

  private final boolean asRoot = "root".equals(System.getProperty("user.name"));
  private final byte[] buffer = new byte[1 << 20];
  private final boolean privateFiles;

  /** Set per extraction: a new target whose new entries are root:root when root creates them. */
  private boolean freshTarget;

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  /**
   * @param privateFiles restore files as 0600 and folders as 0700 whatever they were (secrets)
   */
  TreeExtractor(boolean privateFiles) {
    this.privateFiles = privateFiles;
  }

  /**
   * What was extracted: the tree digest of the entries as written (with and without content
   * checksums), computed on the way, so the health check need not read the tree back.
   */
  record Extracted(TreeDigest withContent, TreeDigest structure) {}

  Extracted extract(InputStream stream, Path target, boolean overwrite, boolean contentDigest)
      throws IOException {
    TreeDigest withContent = new TreeDigest(contentDigest);
    TreeDigest structure = new TreeDigest(false);
    boolean rootExisted = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
    Files.createDirectories(target);
    Path root = target.toRealPath();
    if (!root.equals(target.toAbsolutePath().normalize())) {
      // the target policy checked this path as its own real path: a link put in its place since
      // would lead the restore elsewhere
      throw new IOException(
          "refusing to restore into "
              + target
              + ": it resolves to "
              + root
              + " (a link in its path); restore into "
              + root
              + " itself");
    }
    onlyWeCanChange(root);
    List<DirAttrs> dirs = new ArrayList<>();
    Set<Path> safeDirs = new HashSet<>();
    safeDirs.add(root);
    // a set-group-id folder would give new entries its group: then every owner is set explicitly
    freshTarget =
        !overwrite
            && (((Integer) Files.getAttribute(root, "unix:mode", LinkOption.NOFOLLOW_LINKS))
                    & 02000)
                == 0;
    TarArchiveInputStream tar = new TarArchiveInputStream(stream);
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      Path path = resolve(root, e.getName());
      ensureSafeParents(root, path, safeDirs);
      if (e.isDirectory()) {
        boolean existed =
            path.equals(root) ? rootExisted : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        if (!path.equals(root)) {
          if (Files.isSymbolicLink(path)) {
            throw new IOException("refusing to restore folder " + e.getName() + " over a symlink");
          }
          Files.createDirectories(path);
        }
        safeDirs.add(path);
        withContent.add(TreeWalker.Type.DIR, e.getName(), 0, 0, null);
        structure.add(TreeWalker.Type.DIR, e.getName(), 0, 0, null);
        dirs.add(
            new DirAttrs(
                path,
                e.getMode(),
                e.getLastModifiedTime(),
                e.getLongUserId(),
                e.getLongGroupId(),
                overwrite && existed));
      } else if (e.isSymbolicLink()) {
        replaceable(path, overwrite);
        try {
          Files.createSymbolicLink(path, Path.of(e.getLinkName()));
        } catch (java.nio.file.FileAlreadyExistsException x) {
          throw exists(path);
        }
        withContent.add(TreeWalker.Type.LINK, e.getName(), 0, 0, e.getLinkName());
        structure.add(TreeWalker.Type.LINK, e.getName(), 0, 0, e.getLinkName());
        setOwner(path, e.getLongUserId(), e.getLongGroupId());
        setTime(path, e.getLastModifiedTime());
      } else if (e.isFile()) {
        replaceable(path, overwrite);
        // Created owner-only; the recorded mode is applied once the content is in.
        java.nio.channels.SeekableByteChannel channel;
        try {
          channel =
              Files.newByteChannel(
                  path,
                  Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  OWNER_ONLY);
        } catch (java.nio.file.FileAlreadyExistsException x) {
          throw exists(path);
        }
        try (OutputStream out = Channels.newOutputStream(channel)) {
          java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
          long size = 0;
          int n;
          while ((n = tar.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            if (contentDigest) {
              crc.update(buffer, 0, n);
            }
            size += n;
          }
          withContent.add(TreeWalker.Type.FILE, e.getName(), size, crc.getValue(), null);
          structure.add(TreeWalker.Type.FILE, e.getName(), size, 0, null);
        }
        setOwner(path, e.getLongUserId(), e.getLongGroupId());
        Files.setPosixFilePermissions(path, permissions(privateFiles ? 0600 : e.getMode()));
        setTime(path, e.getLastModifiedTime());
      } else {
        throw new IOException("unsupported entry type in backup stream: " + e.getName());
      }
    }
    // Folders last, deepest first: writing their children changed their times, and a read-only
    // folder must stay writable until its children are in.
    dirs.sort(Comparator.comparingInt((DirAttrs d) -> d.path().getNameCount()).reversed());
    for (DirAttrs d : dirs) {
      if (d.kept()) {
        continue; // a merge writes files into an existing folder; the folder stays as it was
      }
      if (d.path().equals(root)) {
        forceOwner(root, d.uid(), d.gid()); // the target folder may have existed, someone else's
      } else {
        setOwner(d.path(), d.uid(), d.gid());
      }
      Files.setPosixFilePermissions(d.path(), permissions(privateFiles ? 0700 : d.mode()));
      setTime(d.path(), d.mtime());
    }
    return new Extracted(withContent, structure);
  }

  /**
   * Refuses a target that another user could change while the restore writes into it: every folder
   * in it and above it must be writable by this process's user (or root) alone, or be sticky like
   * /tmp. Otherwise a user who owns a folder inside the target could swap it for a link mid-restore
   * and make this process (often root) write or chmod outside the target; the checks per entry
   * below cannot close that race on their own.
   */
  static void onlyWeCanChange(Path root) throws IOException {
    long me = new com.sun.security.auth.module.UnixSystem().getUid();
    if (root.getParent() != null) {
      RealPaths.makeOwnFolder(root.getParent());
    }
    List<Path> dirs;
    try (java.util.stream.Stream<Path> tree = Files.walk(root)) {
      dirs = tree.filter(x -> Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path p : dirs) {
      String why = RealPaths.foreignWritable(p, me);
      if (why != null) {
        throw new IOException(
            "refusing to restore into "
                + root
                + ": the folder "
                + p
                + " in it "
                + why
                + " (another user could swap it for a link while the restore writes); restore into a new or"
                + " private folder, or fix its owner and mode");
      }
    }
  }

  private static Path resolve(Path root, String name) throws IOException {
    String clean = name.startsWith("./") ? name.substring(2) : name;
    if (clean.isEmpty()) {
      return root;
    }
    if (clean.startsWith("/") || clean.contains("\0")) {
      throw new IOException("unsafe path in backup stream: " + name);
    }
    for (String segment : clean.split("/")) {
      if (segment.equals("..")) {
        throw new IOException("unsafe path in backup stream: " + name);
      }
    }
    Path p = root.resolve(clean).normalize();
    if (!p.startsWith(root)) {
      throw new IOException("unsafe path in backup stream: " + name);
    }
    return p;
  }

  /** No parent of the entry may be a symlink: writing through one could land outside the target. */
  private static void ensureSafeParents(Path root, Path path, Set<Path> safeDirs)
      throws IOException {
    Path parent = path.getParent();
    List<Path> unchecked = new ArrayList<>();
    while (parent != null && parent.startsWith(root) && !safeDirs.contains(parent)) {
      unchecked.add(parent);
      parent = parent.getParent();
    }
    for (int i = unchecked.size() - 1; i >= 0; i--) {
      Path p = unchecked.get(i);
      if (Files.isSymbolicLink(p)) {
        throw new IOException(
            "refusing to write "
                + root.relativize(path)
                + " through symlink "
                + root.relativize(p));
      }
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(p);
      }
      safeDirs.add(p);
    }
  }

  /**
   * Makes room for an entry when overwriting. Otherwise nothing is looked up: creating the file or
   * link fails on an existing one ({@link #exists}).
   */
  private static void replaceable(Path path, boolean overwrite) throws IOException {
    if (!overwrite) {
      return;
    }
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(path + " is a folder in the target but a file in the backup");
      }
      Files.delete(path);
    }
  }

  private static IOException exists(Path path) {
    return new IOException(path + " exists (restore with overwrite to replace it)");
  }

  /**
   * As root, gives the entry its recorded owner. An entry root just created in a fresh target is
   * root's already: recorded 0:0 needs no call (two syscalls saved per file of a root-owned tree).
   */
  private void setOwner(Path path, long uid, long gid) throws IOException {
    if (!(uid == 0 && gid == 0 && freshTarget)) {
      forceOwner(path, uid, gid);
    }
  }

  private void forceOwner(Path path, long uid, long gid) throws IOException {
    if (asRoot) {
      Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static void setTime(Path path, FileTime mtime) throws IOException {
    Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(mtime, null, null);
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(order[bit]);
      }
    }
    return set;
  }
}
