package io.lifeboat.core.restore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * Tells a listener how many bytes have been read, at most every quarter second (the clock is looked
 * at once per 256 KiB read, so small reads cost next to nothing).
 */
final class ProgressInputStream extends FilterInputStream {

  private static final long EVERY_NANOS = 250_000_000L;

  private final LongConsumer progress;
  private static final long CLOCK_EVERY_BYTES = 256 * 1024;

  private long read;
  private long lastClock;
  private long lastReport = System.nanoTime();

  ProgressInputStream(InputStream in, LongConsumer progress) {
    super(in);
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    counted(skipped);
    return skipped;
  }

  private void counted(long n) {
    read += n;
    if (read - lastClock < CLOCK_EVERY_BYTES) {
      return;
    }
    lastClock = read;
    long now = System.nanoTime();
    if (now - lastReport >= EVERY_NANOS) {
      lastReport = now;
      progress.accept(read);
    }
  }
}
