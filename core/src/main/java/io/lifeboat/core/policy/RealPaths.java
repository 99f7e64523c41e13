package io.lifeboat.core.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

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

  /**
   * Makes the folder a restore writes a target into, and refuses it when another user could swap
   * it, or a folder above it, for a link while the restore writes: it must be its own real path (no
   * link was put in its place since the target policy resolved it), and every folder from it up
   * must be writable by this process's user (or root) alone, or sticky like {@code /tmp} (where
   * nobody can rename what another made).
   */
  public static void makeOwnFolder(Path dir) throws IOException {
    makeOwnFolder(dir, java.util.Set.of());
  }

  /**
   * {@link #makeOwnFolder(Path)}, also trusting folders these users own (the user a restored server
   * runs as, who owns its parent folder anyway).
   */
  public static void makeOwnFolder(Path dir, java.util.Set<String> trusted) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    long me = new com.sun.security.auth.module.UnixSystem().getUid();
    // one folder at a time, from the root: each existing one judged before anything is made in
    // it, never through a link, and what is made is this process's alone to change
    Path at = abs.getRoot();
    for (Path name : abs) {
      at = at.resolve(name);
      if (Files.isSymbolicLink(at)) {
        throw new IOException(
            "refusing to restore into " + abs + ": " + at + " is a link (a link in its path)");
      }
      Path parent = at.getParent();
      if (parent != null) {
        judge(abs, parent, me, trusted);
      }
      if (!Files.exists(at, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createDirectory(
              at,
              java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                  java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // made meanwhile: judged below like any other
        }
      }
    }
    Path real = abs.toRealPath();
    if (!real.equals(abs)) {
      throw new IOException(
          "refusing to restore into "
              + abs
              + ": it resolves to "
              + real
              + " (a link in its path); restore into "
              + real
              + " itself");
    }
    judge(abs, abs, me, trusted);
  }

  private static void judge(Path target, Path folder, long me, java.util.Set<String> trusted)
      throws IOException {
    String why = foreignWritable(folder, me);
    if (why != null && why.startsWith("belongs") && trustedOwner(folder, trusted)) {
      int mode =
          (Integer)
              Files.getAttribute(folder, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      why =
          (mode & 0022) != 0 && (mode & 01000) == 0
              ? "is writable by other users (mode " + Integer.toOctalString(mode & 07777) + ")"
              : null;
    }
    if (why != null) {
      throw new IOException(
          "refusing to restore into "
              + target
              + ": the folder "
              + folder
              + " "
              + why
              + " (another user could swap it for a link while the restore writes)");
    }
  }

  /**
   * Why another user could change the entries of this folder, or null when only we (or root) can.
   */
  public static @Nullable String foreignWritable(Path dir, long me) throws IOException {
    java.util.Map<String, Object> a =
        Files.readAttributes(dir, "unix:uid,mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    int owner = (Integer) java.util.Objects.requireNonNull(a.get("uid"));
    int mode = (Integer) java.util.Objects.requireNonNull(a.get("mode"));
    boolean sticky = (mode & 01000) != 0;
    if (owner != me && owner != 0) {
      return "belongs to another user (uid " + owner + ")";
    }
    if ((mode & 0022) != 0 && !sticky) {
      return "is writable by other users (mode " + Integer.toOctalString(mode & 07777) + ")";
    }
    return null;
  }

  private static boolean trustedOwner(Path dir, java.util.Set<String> trusted) throws IOException {
    return !trusted.isEmpty()
        && trusted.contains(Files.getOwner(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName());
  }
}
