package io.lifeboat.core.crypto;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Files that hold a secret (keys, tokens, credentials): created with mode 0600 from the first byte
 * (never created readable and chmod-ed after), never replaced by accident, and read back with '#'
 * comment lines skipped.
 */
public final class SecretFiles {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private SecretFiles() {}

  /** Writes a new file readable by its owner only; fails if it exists. */
  public static void create(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createPrivateDirectories(parent);
    }
    FileAttribute<?>[] attrs =
        posix(file)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    try (FileChannel ch =
        FileChannel.open(
            file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
      ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
  }

  /** Writes a new file holding 32 random bytes (base64) under a comment; returns the bytes. */
  public static byte[] createRandomKey(Path file, String comment) throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    create(
        file,
        "# "
            + comment.replace("\n", "\n# ")
            + "\n"
            + Base64.getEncoder().encodeToString(key)
            + "\n");
    return key;
  }

  /**
   * The random key at {@code file}, made first if there is none (by this or a concurrent process).
   */
  public static byte[] ensureRandomKey(Path file, String comment) throws IOException {
    if (!Files.exists(file)) {
      try {
        return createRandomKey(file, comment);
      } catch (FileAlreadyExistsException raced) {
        // made meanwhile: read it
      }
    }
    return readKey(file);
  }

  /** The first non-comment line, base64-decoded. */
  public static byte[] readKey(Path file) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        try {
          return Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
          throw new IOException("key file " + file + " does not hold a base64 key");
        }
      }
    }
    throw new IOException("key file " + file + " holds no key");
  }

  /**
   * Directories readable by their owner only (0700), for a home that holds keys and broker data.
   */
  public static void createPrivateDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
    restrict(dir);
  }

  /** Makes an existing directory 0700 (no-op where the file system has no POSIX permissions). */
  public static void restrict(Path dir) throws IOException {
    if (posix(dir)) {
      Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
    }
  }

  private static boolean posix(Path p) {
    Path existing = p.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
