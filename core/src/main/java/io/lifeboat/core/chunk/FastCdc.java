package io.lifeboat.core.chunk;

import java.util.Objects;

/**
 * FastCDC cut-point search (Xia et al., USENIX ATC 2016) with normalized chunking: a gear rolling
 * hash, no hashing of the first {@code minSize} bytes, a harder mask before {@code avgSize} and an
 * easier one after it, so sizes cluster around the average. Unchanged regions of a stream produce
 * the same chunks wherever they move, which is what deduplication relies on.
 *
 * <p>The mask bits are the high bits of the 64-bit hash: with {@code h = (h << 1) + gear[b]}, they
 * depend on the last 64 bytes, the low bits only on the last few.
 */
public final class FastCdc {

  private final ChunkerParams params;
  private final long[] gear = new long[256];
  private final long maskHard;
  private final long maskEasy;

  public FastCdc(ChunkerParams params) {
    this.params = Objects.requireNonNull(params, "params");
    long state = params.seed();
    for (int i = 0; i < gear.length; i++) {
      state += 0x9E3779B97F4A7C15L; // SplitMix64
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      gear[i] = z ^ (z >>> 31);
    }
    int bits = Integer.numberOfTrailingZeros(params.avgSize());
    this.maskHard = highBits(Math.min(63, bits + 2));
    this.maskEasy = highBits(Math.max(1, bits - 2));
  }

  public ChunkerParams params() {
    return params;
  }

  /**
   * Length of the next chunk of {@code data[from, from + available)}.
   *
   * @param last true when no more data follows; otherwise {@code available} must be at least {@code
   *     maxSize} (or the caller must wait for more data)
   * @return a length in [1, available]; for the final piece of a stream it may be below minSize
   */
  public int cut(byte[] data, int from, int available, boolean last) {
    if (!last && available < params.maxSize()) {
      throw new IllegalArgumentException("need maxSize bytes unless at the end of the stream");
    }
    if (available <= params.minSize()) {
      return available;
    }
    int limit = Math.min(available, params.maxSize());
    int normal = Math.min(params.avgSize(), limit);
    long h = 0;
    int i = params.minSize();
    final long[] g = gear;
    final long hard = maskHard;
    final long easy = maskEasy;
    for (; i < normal; i++) {
      h = (h << 1) + g[data[from + i] & 0xFF];
      if ((h & hard) == 0) {
        return i + 1;
      }
    }
    for (; i < limit; i++) {
      h = (h << 1) + g[data[from + i] & 0xFF];
      if ((h & easy) == 0) {
        return i + 1;
      }
    }
    return limit;
  }

  private static long highBits(int n) {
    return -1L << (64 - n);
  }
}
