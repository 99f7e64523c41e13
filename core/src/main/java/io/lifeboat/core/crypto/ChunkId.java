package io.lifeboat.core.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Identity of a chunk: HMAC-SHA-256 of its plaintext under the repository MAC key. Keyed, so an id
 * reveals nothing about the content to someone without the key (a plain hash would let them test
 * guesses).
 */
public final class ChunkId implements Comparable<ChunkId> {

  public static final int BYTES = 32;
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private ChunkId(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("a chunk id has 32 bytes, got " + bytes.length);
    }
    this.bytes = bytes;
  }

  public static ChunkId of(byte[] bytes) {
    return new ChunkId(Objects.requireNonNull(bytes, "bytes").clone());
  }

  /** Reads the id at {@code offset} of a packed array of ids. */
  public static ChunkId of(byte[] packed, int offset) {
    return new ChunkId(Arrays.copyOfRange(packed, offset, offset + BYTES));
  }

  public static ChunkId parse(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != BYTES * 2) {
      throw new IllegalArgumentException("not a chunk id (64 hex digits): " + hex);
    }
    try {
      return new ChunkId(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a chunk id (64 hex digits): " + hex);
    }
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** Copies the id into {@code out} at {@code offset}. */
  public void copyTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, BYTES);
  }

  public String hex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(ChunkId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
