package io.lifeboat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares two folder trees: names, types, permissions, modification times, link targets, bytes.
 */
final class TreeDiff {

  private TreeDiff() {}

  static List<String> diff(Path a, Path b) throws IOException {
    Map<String, Path> left = index(a);
    Map<String, Path> right = index(b);
    List<String> out = new ArrayList<>();
    for (String name : left.keySet()) {
      if (!right.containsKey(name)) {
        out.add("missing: " + name);
        continue;
      }
      Path x = left.get(name);
      Path y = right.get(name);
      PosixFileAttributes ax =
          Files.readAttributes(x, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      PosixFileAttributes ay =
          Files.readAttributes(y, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (ax.isSymbolicLink() != ay.isSymbolicLink() || ax.isDirectory() != ay.isDirectory()) {
        out.add("type differs: " + name);
      } else if (ax.isSymbolicLink()) {
        if (!Files.readSymbolicLink(x).equals(Files.readSymbolicLink(y))) {
          out.add("link target differs: " + name);
        }
      } else {
        if (!ax.permissions().equals(ay.permissions())) {
          out.add("permissions differ: " + name);
        }
        if (!ax.lastModifiedTime().equals(ay.lastModifiedTime())) {
          out.add("modification time differs: " + name);
        }
        if (ax.isRegularFile() && !sameBytes(x, y)) {
          out.add("content differs: " + name);
        }
      }
    }
    right.keySet().stream().filter(n -> !left.containsKey(n)).forEach(n -> out.add("extra: " + n));
    return out;
  }

  private static Map<String, Path> index(Path root) throws IOException {
    Map<String, Path> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.forEach(p -> m.put(root.relativize(p).toString(), p));
    }
    return m;
  }

  private static boolean sameBytes(Path x, Path y) throws IOException {
    if (Files.size(x) != Files.size(y)) {
      return false;
    }
    try (var in1 = Files.newInputStream(x);
        var in2 = Files.newInputStream(y)) {
      byte[] b1 = new byte[1 << 16];
      byte[] b2 = new byte[1 << 16];
      int n;
      while ((n = in1.readNBytes(b1, 0, b1.length)) > 0) {
        if (in2.readNBytes(b2, 0, n) != n || !Arrays.equals(b1, 0, n, b2, 0, n)) {
          return false;
        }
      }
      return true;
    }
  }
}
