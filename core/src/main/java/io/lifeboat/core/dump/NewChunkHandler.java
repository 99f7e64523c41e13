package io.lifeboat.core.dump;

import io.lifeboat.core.crypto.ChunkId;
import java.io.IOException;

/** Receives each chunk the repository does not hold yet (once per id per dump). */
@FunctionalInterface
public interface NewChunkHandler {
  /** The array is reused after the call: copy what you keep. */
  void accept(ChunkId id, byte[] data, int offset, int length) throws IOException;
}
