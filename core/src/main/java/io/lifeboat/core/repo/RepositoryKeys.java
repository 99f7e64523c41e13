package io.lifeboat.core.repo;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The secrets a repository's data is protected with, generated once at init and stored only wrapped
 * under master keys: the AES-256 data key, the HMAC key of chunk ids, and the chunker seed.
 */
final class RepositoryKeys {

  static final int SIZE = 32 + 32 + 8;

  final byte[] dataKey;
  final byte[] macKey;
  final long chunkerSeed;

  private RepositoryKeys(byte[] dataKey, byte[] macKey, long chunkerSeed) {
    this.dataKey = dataKey;
    this.macKey = macKey;
    this.chunkerSeed = chunkerSeed;
  }

  static RepositoryKeys generate(long chunkerSeed) {
    SecureRandom random = new SecureRandom();
    byte[] data = new byte[32];
    byte[] mac = new byte[32];
    random.nextBytes(data);
    random.nextBytes(mac);
    return new RepositoryKeys(data, mac, chunkerSeed);
  }

  byte[] toBytes() {
    return ByteBuffer.allocate(SIZE).put(dataKey).put(macKey).putLong(chunkerSeed).array();
  }

  static RepositoryKeys fromBytes(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("key material has " + bytes.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte[] data = new byte[32];
    byte[] mac = new byte[32];
    b.get(data).get(mac);
    return new RepositoryKeys(data, mac, b.getLong());
  }

  @Override
  public String toString() {
    return "RepositoryKeys[<redacted>]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RepositoryKeys k
        && Arrays.equals(dataKey, k.dataKey)
        && Arrays.equals(macKey, k.macKey)
        && chunkerSeed == k.chunkerSeed;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dataKey);
  }
}
