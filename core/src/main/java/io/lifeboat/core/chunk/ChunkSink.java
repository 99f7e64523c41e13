package io.lifeboat.core.chunk;

import java.io.IOException;

/** Receives each chunk a {@link ChunkingOutputStream} cuts, in stream order. */
@FunctionalInterface
public interface ChunkSink {
  /**
   * Called once per chunk. The array is reused after the call returns: copy what you keep.
   *
   * @param data buffer holding the chunk
   * @param offset where the chunk starts
   * @param length chunk length, at least 1
   */
  void accept(byte[] data, int offset, int length) throws IOException;
}
