package io.lifeboat.core.restore;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.repo.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A component stream read back from the repository: the concatenation of its chunks, each
 * authenticated and checked against its id. At the end, the SHA-256 of everything read must match
 * the manifest's, or the last read fails: a restore never completes on wrong data.
 */
public final class ChunkStream extends InputStream {

  private final OrderedChunkFetcher fetcher;
  private final String component;
  private final String expectedSha256;
  private final MessageDigest digest;
  private byte[] current = new byte[0];
  private int pos;
  private long bytesRead;
  private boolean verifiedEnd;

  public ChunkStream(
      Repository repository,
      String component,
      List<ChunkId> ids,
      String expectedSha256,
      Executor executor,
      int window) {
    this.fetcher = new OrderedChunkFetcher(repository, ids, executor, window);
    this.component = component;
    this.expectedSha256 = expectedSha256;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pos == current.length) {
      if (!fetcher.hasNext()) {
        checkEnd();
        return -1;
      }
      OrderedChunkFetcher.Fetched f = fetcher.next();
      if (!f.ok()) {
        fetcher.cancel();
        throw new IOException(
            "component " + component + ", chunk " + f.index() + " (" + f.id() + ") " + f.error());
      }
      current = Objects.requireNonNull(f.plain()); // ok(): no error, so the plaintext is there
      pos = 0;
      digest.update(current);
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    bytesRead += n;
    return n;
  }

  private void checkEnd() throws IOException {
    if (verifiedEnd) {
      return;
    }
    verifiedEnd = true;
    String actual = HexFormat.of().formatHex(digest.digest());
    if (expectedSha256 != null && !expectedSha256.isEmpty() && !expectedSha256.equals(actual)) {
      throw new IOException(
          "component "
              + component
              + ": stream checksum "
              + actual
              + " does not match the manifest's "
              + expectedSha256);
    }
  }

  /** Reads to the end, so the checksum is checked even when the consumer stopped early. */
  public void drainAndCheck() throws IOException {
    byte[] skip = new byte[64 * 1024];
    while (read(skip, 0, skip.length) >= 0) {
      // keep reading
    }
  }

  @Override
  public void close() {
    fetcher.cancel();
  }

  public static List<ChunkId> ids(List<String> hex) {
    return hex.stream().map(ChunkId::parse).toList();
  }
}
