package io.lifeboat.provider.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Writes a folder tree (or one file) as a POSIX (pax) tar stream ({@link PaxTarWriter}): the
 * component stream of every tree kind. Entries come in {@link TreeWalker} order and carry only what
 * the tree holds (no archive time), so an unchanged tree gives the same bytes and so the same
 * chunks. Anyone with the decrypted stream can read it with tar. Also records the tree's {@link
 * TreeDigest} for the post-restore health check.
 */
final class TreeArchiver {

  /** What was written and what was skipped. */
  static final class Result {
    final TreeDigest digest;
    long skipped;
    final List<String> warnings = new ArrayList<>();

    Result(boolean contentDigest) {
      this.digest = new TreeDigest(contentDigest);
    }

    Map<String, String> asMetadata() {
      return Map.of(
          "files", Long.toString(digest.files()),
          "dirs", Long.toString(digest.dirs()),
          "symlinks", Long.toString(digest.links()),
          "fileBytes", Long.toString(digest.bytes()),
          "skipped", Long.toString(skipped),
          "treeDigest", digest.hex(),
          "format", "pax-tar");
    }
  }

  private static final int MAX_WARNINGS_LISTED = 50;
  private static final int MAX_INSPECTED_BYTES = 16 * 1024 * 1024;
  private final byte[] buffer = new byte[1 << 20];
  private final ContentInspector inspector;
  private final boolean contentDigest;

  TreeArchiver(ContentInspector inspector, boolean contentDigest) {
    this.inspector = inspector;
    this.contentDigest = contentDigest;
  }

  Result archive(TreeSpec spec, OutputStream out) throws IOException {
    Result result = new Result(contentDigest);
    PaxTarWriter tar = new PaxTarWriter(out);
    TreeWalker.walk(
        spec,
        new TreeWalker.Visitor() {
          @Override
          public void entry(TreeWalker.Entry e) throws IOException {
            add(e, tar, result);
          }

          @Override
          public void warn(String message) {
            TreeArchiver.warn(result, message);
          }
        });
    tar.finish();
    return result;
  }

  private void add(TreeWalker.Entry e, PaxTarWriter tar, Result result) throws IOException {
    switch (e.type()) {
      case LINK -> {
        tar.begin(
            e.name(),
            PaxTarWriter.SYMLINK,
            e.mode(),
            e.uid(),
            e.gid(),
            0,
            e.mtime(),
            e.linkTarget());
        tar.end();
        result.digest.add(e, 0);
      }
      case DIR -> {
        tar.begin(e.name(), PaxTarWriter.DIRECTORY, e.mode(), e.uid(), e.gid(), 0, e.mtime(), null);
        tar.end();
        result.digest.add(e, 0);
      }
      case FILE -> addFile(e, tar, result);
    }
  }

  private void addFile(TreeWalker.Entry e, PaxTarWriter tar, Result result) throws IOException {
    InputStream in;
    try {
      in = Files.newInputStream(e.path());
    } catch (java.nio.file.NoSuchFileException ex) {
      warn(result, e.path() + " was deleted during the backup; not included");
      return;
    } catch (java.nio.file.AccessDeniedException ex) {
      warn(result, "cannot read " + e.path() + ": permission denied");
      return;
    } catch (IOException ex) {
      warn(result, "cannot read " + e.path() + ": " + ex.getMessage());
      return;
    }
    CRC32C crc = new CRC32C();
    try (in) {
      tar.begin(e.name(), PaxTarWriter.FILE, e.mode(), e.uid(), e.gid(), e.size(), e.mtime(), null);
      long copied;
      if (inspector.wants(e.name()) && e.size() <= MAX_INSPECTED_BYTES) {
        byte[] content = in.readNBytes((int) e.size());
        copied = content.length;
        crc.update(content);
        tar.write(content, 0, content.length);
        Optional<String> problem = inspector.inspect(e.name(), content);
        problem.ifPresent(p -> note(result, e.name() + ": " + p));
      } else {
        copied = copy(in, tar, e.size(), crc);
      }
      if (copied < e.size()) {
        // The file shrank while we read it: pad to the size the header promised.
        warn(
            result,
            e.path()
                + " shrank while being read ("
                + copied
                + " of "
                + e.size()
                + " bytes); padded with zeros");
        pad(tar, e.size() - copied, crc);
      }
      tar.end();
      result.digest.add(e, crc.getValue());
    }
  }

  /** Copies at most {@code limit} bytes: a file growing while read is cut at its size when seen. */
  private long copy(InputStream in, PaxTarWriter out, long limit, CRC32C crc) throws IOException {
    long done = 0;
    while (done < limit) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - done));
      if (n < 0) {
        break;
      }
      crc.update(buffer, 0, n);
      out.write(buffer, 0, n);
      done += n;
    }
    return done;
  }

  private void pad(PaxTarWriter out, long n, CRC32C crc) throws IOException {
    Arrays.fill(buffer, (byte) 0);
    while (n > 0) {
      int k = (int) Math.min(buffer.length, n);
      crc.update(buffer, 0, k);
      out.write(buffer, 0, k);
      n -= k;
    }
  }

  static void warn(Result result, String message) {
    result.skipped++;
    note(result, message);
  }

  /** A warning about something that is in the backup nevertheless. */
  static void note(Result result, String message) {
    if (result.warnings.size() < MAX_WARNINGS_LISTED) {
      result.warnings.add(message);
    } else if (result.warnings.size() == MAX_WARNINGS_LISTED) {
      result.warnings.add("more warnings not listed");
    }
  }

  /** The digest of a restored tree, for comparison with the dump's. */
  static TreeDigest digestOf(TreeSpec spec, boolean contentDigest) throws IOException {
    TreeDigest digest = new TreeDigest(contentDigest);
    byte[] buf = new byte[1 << 16];
    TreeWalker.walk(
        spec,
        new TreeWalker.Visitor() {
          @Override
          public void entry(TreeWalker.Entry e) throws IOException {
            long crc = 0;
            if (e.type() == TreeWalker.Type.FILE && contentDigest) {
              CRC32C c = new CRC32C();
              try (InputStream in = Files.newInputStream(e.path())) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  c.update(buf, 0, n);
                }
              }
              crc = c.getValue();
            }
            digest.add(e, crc);
          }

          @Override
          public void warn(String message) {
            // an unreadable entry shows up as a digest mismatch
          }
        });
    return digest;
  }
}
