package io.lifeboat.core.crypto;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Computes {@link ChunkId}s: HMAC-SHA-256 under the repository MAC key. Thread-safe. */
public final class ChunkIdHasher {

  private final ThreadLocal<Mac> macs;

  public ChunkIdHasher(byte[] macKey) {
    Objects.requireNonNull(macKey, "macKey");
    if (macKey.length != 32) {
      throw new IllegalArgumentException("MAC key must be 32 bytes, got " + macKey.length);
    }
    SecretKeySpec spec = new SecretKeySpec(macKey.clone(), "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
              }
            });
  }

  public ChunkId idOf(byte[] data, int offset, int length) {
    Mac mac = macs.get();
    mac.update(data, offset, length);
    return ChunkId.of(mac.doFinal());
  }

  public ChunkId idOf(byte[] data) {
    return idOf(data, 0, data.length);
  }

  @Override
  public String toString() {
    return "ChunkIdHasher[key=<redacted>]";
  }
}
