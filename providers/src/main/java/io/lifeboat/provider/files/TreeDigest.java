package io.lifeboat.provider.files;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * A fingerprint of a tree: SHA-256 over every entry below the root in walk order (type, name, size,
 * CRC32C of the content, link target). Recorded at dump, recomputed over the restored tree by the
 * health check. Permissions and times are left out (a secrets restore tightens modes); the content
 * check can be left out too (for secrets, whose checksums must not be kept in the clear).
 */
final class TreeDigest {

  private final MessageDigest sha;
  private final boolean content;
  private long files;
  private long dirs;
  private long links;
  private long bytes;

  TreeDigest(boolean content) {
    this.content = content;
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void add(TreeWalker.Entry e, long crc32c) {
    add(e.type(), e.name(), e.size(), crc32c, e.linkTarget());
  }

  /** One entry, as the walker or the extractor (from the stream) sees it. */
  void add(TreeWalker.Type type, String name, long size, long crc32c, @Nullable String linkTarget) {
    if (name.equals("./")) {
      return;
    }
    switch (type) {
      case DIR -> dirs++;
      case LINK -> links++;
      case FILE -> {
        files++;
        bytes += size;
      }
    }
    String line =
        type.name().charAt(0)
            + "\0"
            + name
            + "\0"
            + size
            + "\0"
            + (content && type == TreeWalker.Type.FILE ? Long.toHexString(crc32c) : "")
            + "\0"
            + (linkTarget == null ? "" : linkTarget)
            + "\n";
    sha.update(line.getBytes(StandardCharsets.UTF_8));
  }

  String hex() {
    return HexFormat.of().formatHex(sha.digest());
  }

  long files() {
    return files;
  }

  long dirs() {
    return dirs;
  }

  long links() {
    return links;
  }

  long bytes() {
    return bytes;
  }
}
