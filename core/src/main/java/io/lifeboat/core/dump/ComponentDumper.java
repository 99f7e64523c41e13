package io.lifeboat.core.dump;

import io.lifeboat.core.chunk.ChunkingOutputStream;
import io.lifeboat.core.chunk.FastCdc;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.repo.Repository;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Dumps a component through the chunker: the provider writes its stream, the stream is cut into
 * content-defined chunks, each is identified by its keyed hash, and only chunks not in {@code
 * known} go to the handler. This is the whole of what makes unchanged data cost nothing.
 */
public final class ComponentDumper {

  private final Repository repository;
  private final FastCdc cdc;

  public ComponentDumper(Repository repository) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.cdc = new FastCdc(repository.chunkerParams());
  }

  /**
   * @param known ids the repository holds; ids handed to the handler are added to it, so a chunk
   *     that repeats within the stream is sent once
   */
  public DumpedStream dump(
      ComponentProvider provider,
      ComponentSource source,
      Set<ChunkId> known,
      NewChunkHandler handler)
      throws IOException {
    long start = System.nanoTime();
    MessageDigest digest = sha256();
    List<ChunkId> ids = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    BitSet fresh = new BitSet();
    long[] newBytes = {0};
    DumpResult result;
    ChunkingOutputStream out =
        new ChunkingOutputStream(
            cdc,
            (data, off, len) -> {
              digest.update(data, off, len);
              ChunkId id = repository.chunkId(data, off, len);
              if (known.add(id)) {
                fresh.set(ids.size());
                newBytes[0] += len;
                handler.accept(id, data, off, len);
              }
              ids.add(id);
              sizes.add(len);
            });
    try (out) {
      result = provider.dump(source, out);
    }
    return new DumpedStream(
        result,
        ids,
        sizes,
        fresh,
        out.total(),
        newBytes[0],
        HexFormat.of().formatHex(digest.digest()),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
