package io.lifeboat.core.compress;

import com.github.luben.zstd.ZstdException;

/**
 * zstd through zstd-jni (native, about 370 MB/s at level 1 and 1.5 GB/s to decompress here). A
 * frame always records its content size, so decompression knows how much to allocate.
 */
public final class Zstd {

  /** Largest plaintext we agree to decompress (a chunk is at most 8 MiB; manifests are larger). */
  public static final long MAX_DECOMPRESSED = 1L << 30;

  private Zstd() {}

  public static int maxCompressedSize(int length) {
    return (int) com.github.luben.zstd.Zstd.compressBound(length);
  }

  /**
   * Compresses {@code src[off, off+len)} into {@code dst} at {@code dstOff}.
   *
   * @return compressed length
   */
  public static int compress(byte[] dst, int dstOff, byte[] src, int off, int len, int level) {
    long n =
        com.github.luben.zstd.Zstd.compressByteArray(
            dst, dstOff, dst.length - dstOff, src, off, len, level);
    if (com.github.luben.zstd.Zstd.isError(n)) {
      throw new IllegalStateException(
          "zstd compression failed: " + com.github.luben.zstd.Zstd.getErrorName(n));
    }
    return (int) n;
  }

  public static byte[] compress(byte[] src, int level) {
    return com.github.luben.zstd.Zstd.compress(src, level);
  }

  /**
   * Decompresses one frame.
   *
   * @throws CorruptDataException when the bytes are not a complete zstd frame
   */
  public static byte[] decompress(byte[] src, int off, int len) throws CorruptDataException {
    try {
      long size = com.github.luben.zstd.Zstd.getFrameContentSize(src, off, len);
      if (size < 0 || size > MAX_DECOMPRESSED) {
        throw new CorruptDataException("not a zstd frame with a known size (" + size + ")");
      }
      byte[] out = new byte[(int) size];
      long n = com.github.luben.zstd.Zstd.decompressByteArray(out, 0, out.length, src, off, len);
      if (com.github.luben.zstd.Zstd.isError(n) || n != size) {
        throw new CorruptDataException("zstd frame is damaged");
      }
      return out;
    } catch (ZstdException e) {
      throw new CorruptDataException("zstd frame is damaged: " + e.getMessage());
    }
  }
}
