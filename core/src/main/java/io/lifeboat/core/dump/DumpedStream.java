package io.lifeboat.core.dump;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.provider.DumpResult;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;

/**
 * The outcome of dumping one component: its chunk list and what the provider reported.
 *
 * @param result provider metadata and warnings
 * @param chunkIds chunk ids in stream order (repeats allowed)
 * @param chunkSizes plaintext size of each
 * @param newChunks bit i set when chunk i was handed to the {@link NewChunkHandler}
 * @param sizeBytes stream length
 * @param newBytes bytes of the new chunks
 * @param sha256 hex SHA-256 of the stream
 * @param duration time the dump took
 */
public record DumpedStream(
    DumpResult result,
    List<ChunkId> chunkIds,
    List<Integer> chunkSizes,
    BitSet newChunks,
    long sizeBytes,
    long newBytes,
    String sha256,
    Duration duration) {

  public DumpedStream {
    chunkIds = List.copyOf(chunkIds);
    chunkSizes = List.copyOf(chunkSizes);
    newChunks = (BitSet) newChunks.clone();
  }

  public int newChunkCount() {
    return newChunks.cardinality();
  }
}
