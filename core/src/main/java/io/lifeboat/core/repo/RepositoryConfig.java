package io.lifeboat.core.repo;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The repository's plain-text config object: enough to open it with the master key. Chunker sizes
 * are public; the chunker seed travels inside the wrapped key material.
 *
 * @param format always {@value #FORMAT}
 * @param version format version, {@value #VERSION}
 * @param id random repository id; binds the wrapped keys to this repository
 * @param createdAt when the repository was made
 * @param chunker chunk size bounds
 * @param encryption cipher of chunk and manifest objects
 * @param chunkIds how chunk ids are computed
 * @param compression codec of chunk and manifest objects
 * @param keys the data keys wrapped under each master key that may open the repository
 */
public record RepositoryConfig(
    String format,
    int version,
    String id,
    Instant createdAt,
    ChunkerSizes chunker,
    String encryption,
    String chunkIds,
    String compression,
    List<WrappedKey> keys) {

  public static final String FORMAT = "lifeboat-repository";
  public static final int VERSION = 1;

  public RepositoryConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(chunker, "chunker");
    keys = List.copyOf(keys);
  }

  /**
   * Public chunker bounds.
   *
   * @param minSize smallest chunk
   * @param avgSize typical chunk
   * @param maxSize largest chunk
   */
  public record ChunkerSizes(int minSize, int avgSize, int maxSize) {}

  /**
   * Data keys and chunker seed, sealed with AES-256-GCM under a master key.
   *
   * @param id key slot id
   * @param createdAt when it was added
   * @param wrapped base64 of nonce, ciphertext and tag
   */
  public record WrappedKey(String id, Instant createdAt, String wrapped) {}
}
