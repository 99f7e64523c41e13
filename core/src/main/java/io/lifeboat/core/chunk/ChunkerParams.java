package io.lifeboat.core.chunk;

/**
 * Parameters of the content-defined chunker, recorded in the repository config so that every writer
 * of a repository cuts the same chunks (and so deduplicates against the others).
 *
 * @param minSize no chunk is smaller, except the last one of a stream
 * @param avgSize the size chunks gather around; a power of two
 * @param maxSize no chunk is larger; at most {@link #LIMIT}
 * @param seed seeds the gear table; random per repository, so chunk boundaries reveal nothing about
 *     the content to someone who sees only object sizes
 */
public record ChunkerParams(int minSize, int avgSize, int maxSize, long seed) {

  /** Largest chunk a repository may use: chunks travel as single Kafka records. */
  public static final int LIMIT = 8 * 1024 * 1024;

  public ChunkerParams {
    if (minSize < 64) {
      throw new IllegalArgumentException("minSize must be >= 64: " + minSize);
    }
    if (minSize > avgSize) {
      throw new IllegalArgumentException(
          "minSize must be <= avgSize: " + minSize + " > " + avgSize);
    }
    if (avgSize > maxSize) {
      throw new IllegalArgumentException(
          "avgSize must be <= maxSize: " + avgSize + " > " + maxSize);
    }
    if (Integer.bitCount(avgSize) != 1) {
      throw new IllegalArgumentException("avgSize must be a power of two: " + avgSize);
    }
    if (maxSize > LIMIT) {
      throw new IllegalArgumentException("maxSize must be <= " + LIMIT + ": " + maxSize);
    }
  }

  /** The defaults: 256 KiB / 1 MiB / 4 MiB, with the given seed. */
  public static ChunkerParams defaults(long seed) {
    return new ChunkerParams(256 * 1024, 1024 * 1024, 4 * 1024 * 1024, seed);
  }
}
