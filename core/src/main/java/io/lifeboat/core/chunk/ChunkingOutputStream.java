package io.lifeboat.core.chunk;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An output stream that cuts what is written into content-defined chunks and hands each to a {@link
 * ChunkSink}. Closing it flushes the final chunk. Not thread-safe.
 */
public final class ChunkingOutputStream extends OutputStream {

  private final FastCdc cdc;
  private final ChunkSink sink;
  private final byte[] buffer;
  private int start;
  private int end;
  private long total;
  private boolean closed;

  public ChunkingOutputStream(FastCdc cdc, ChunkSink sink) {
    this.cdc = Objects.requireNonNull(cdc, "cdc");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.buffer = new byte[cdc.params().maxSize() * 2];
  }

  /** Bytes written so far. */
  public long total() {
    return total;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    int max = cdc.params().maxSize();
    while (len > 0) {
      if (end == buffer.length) {
        compact();
      }
      int n = Math.min(len, buffer.length - end);
      System.arraycopy(b, off, buffer, end, n);
      end += n;
      off += n;
      len -= n;
      total += n;
      while (end - start >= max) {
        emit(cdc.cut(buffer, start, end - start, false));
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    while (end > start) {
      emit(cdc.cut(buffer, start, end - start, true));
    }
  }

  private void emit(int length) throws IOException {
    sink.accept(buffer, start, length);
    start += length;
  }

  private void compact() {
    System.arraycopy(buffer, start, buffer, 0, end - start);
    end -= start;
    start = 0;
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }
}
