package io.lifeboat.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Everything a user would notice about a folder tree: each entry's type, permissions, modification
 * time, size, content hash and link target. Two trees are equal when their snapshots are; {@link
 * #diff} says where they are not.
 */
public final class TreeSnapshot {

  /**
   * One entry of the tree.
   *
   * @param type file, dir or link
   * @param permissions rwx string
   * @param mtime modification time as reported by the file system (links not followed)
   * @param size bytes (files)
   * @param sha256 content hash (files)
   * @param linkTarget target (links)
   */
  public record Entry(
      String type, String permissions, String mtime, long size, String sha256, String linkTarget) {}

  private final Map<String, Entry> entries;

  private TreeSnapshot(Map<String, Entry> entries) {
    this.entries = entries;
  }

  public static TreeSnapshot of(Path root) throws IOException {
    Map<String, Entry> out = new TreeMap<>();
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.forEach(all::add);
    }
    for (Path p : all) {
      String rel = root.relativize(p).toString();
      PosixFileAttributes a =
          Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      String perms = PosixFilePermissions.toString(a.permissions());
      if (a.isSymbolicLink()) {
        out.put(
            rel,
            new Entry(
                "link",
                "",
                a.lastModifiedTime().toString(),
                0,
                "",
                Files.readSymbolicLink(p).toString()));
      } else if (a.isDirectory()) {
        out.put(
            rel.isEmpty() ? "." : rel,
            new Entry("dir", perms, a.lastModifiedTime().toString(), 0, "", ""));
      } else {
        out.put(
            rel,
            new Entry("file", perms, a.lastModifiedTime().toString(), a.size(), sha256(p), ""));
      }
    }
    return new TreeSnapshot(out);
  }

  public Map<String, Entry> entries() {
    return entries;
  }

  /** Human-readable differences, empty when the trees are the same. */
  public List<String> diff(TreeSnapshot other) {
    List<String> out = new ArrayList<>();
    Set<String> names = new TreeSet<>(entries.keySet());
    names.addAll(other.entries.keySet());
    for (String n : names) {
      Entry a = entries.get(n);
      Entry b = other.entries.get(n);
      if (a == null) {
        out.add("only in second: " + n);
      } else if (b == null) {
        out.add("only in first: " + n);
      } else if (!a.equals(b)) {
        out.add(n + ": " + a + " != " + b);
      }
    }
    return out;
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(p), MessageDigest.getInstance("SHA-256"))) {
      byte[] buf = new byte[65536];
      while (in.read(buf) >= 0) {
        // digest as we go
      }
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TreeSnapshot s && entries.equals(s.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
