package io.lifeboat.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Builds the folder trees backup tests use: the awkward cases a file backup must get right (empty
 * files and folders, symlinks of every sort, permissions, sub-second modification times, spaces and
 * non-ASCII in names, long paths, files spanning many chunks, many small files).
 */
public final class TreeFixture {

  private TreeFixture() {}

  /** Creates the tricky tree under {@code root} (which must not exist or be empty). */
  public static Path createTrickyTree(Path root, int largeFileBytes) throws IOException {
    Files.createDirectories(root);
    Random random = new Random(20261125);
    write(root.resolve("docs/readme.txt"), "Lifeboat test tree\n".repeat(200));
    write(root.resolve("docs/empty.txt"), "");
    Files.createDirectories(root.resolve("empty-dir"));
    Files.createDirectories(root.resolve("nested/empty/deeper"));
    write(root.resolve("with space/file with space.log"), "spaces are fine\n");
    write(root.resolve("ünïcödé/日本語のファイル.txt"), "こんにちは\n");
    write(root.resolve("emoji-🚀.txt"), "rocket\n");
    write(root.resolve("bin/run.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(
        root.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    write(root.resolve("secret/key.pem"), "-----BEGIN NOT A KEY-----\n");
    Files.setPosixFilePermissions(
        root.resolve("secret/key.pem"), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(
        root.resolve("secret"), PosixFilePermissions.fromString("rwx------"));
    write(root.resolve("readonly.txt"), "do not touch\n");
    Files.setPosixFilePermissions(
        root.resolve("readonly.txt"), PosixFilePermissions.fromString("r--r--r--"));
    String longName = "a-very-long-folder-name-".repeat(6);
    write(
        root.resolve(longName + "/" + longName + "/file-beyond-100-characters.txt"),
        "pax headers\n");
    byte[] large = new byte[largeFileBytes];
    random.nextBytes(large);
    Files.createDirectories(root.resolve("big"));
    Files.write(root.resolve("big/large.bin"), large);
    for (int i = 0; i < 150; i++) {
      write(root.resolve(String.format("many/small-%03d.txt", i)), "small file number " + i + "\n");
    }
    Files.createSymbolicLink(root.resolve("link-to-readme"), Path.of("docs/readme.txt"));
    Files.createSymbolicLink(root.resolve("dangling-link"), Path.of("does/not/exist"));
    Files.createSymbolicLink(root.resolve("absolute-link"), Path.of("/etc/hostname"));
    Files.createSymbolicLink(root.resolve("docs-link"), Path.of("docs"));
    setTimes(root, Instant.parse("2021-03-04T05:06:07.123456789Z"));
    return root;
  }

  /** Gives every entry (deepest first, links not followed) the same modification time. */
  public static void setTimes(Path root, Instant when) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.forEach(all::add);
    }
    all.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    FileTime t = FileTime.from(when);
    for (Path p : all) {
      Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(t, null, null);
    }
  }

  /**
   * Overwrites one byte of a file, keeping its size and modification time, as a bad copy or
   * tampering would. The file's change time does change: first this waits until the file system's
   * clock has moved past the file's last change (its timestamps are coarse, 4 ms here), so the
   * rewrite is told apart from the write before it however fast the caller came.
   */
  public static void flipOneByte(Path file, long at) throws IOException {
    waitForClockPast(file);
    FileTime mtime = Files.getLastModifiedTime(file);
    byte[] data = Files.readAllBytes(file);
    data[(int) at] ^= 0x5A;
    Files.write(file, data);
    Files.setLastModifiedTime(file, mtime);
  }

  private static void waitForClockPast(Path file) throws IOException {
    FileTime changed = (FileTime) Files.getAttribute(file, "unix:ctime");
    Path probe = file.resolveSibling(".clock-probe");
    try {
      long deadline = System.nanoTime() + 5_000_000_000L;
      do {
        Files.write(probe, new byte[] {1});
        if (((FileTime) Files.getAttribute(probe, "unix:ctime")).compareTo(changed) > 0) {
          return;
        }
        Thread.onSpinWait();
      } while (System.nanoTime() < deadline);
      throw new IllegalStateException("the file system clock did not move past " + changed);
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
