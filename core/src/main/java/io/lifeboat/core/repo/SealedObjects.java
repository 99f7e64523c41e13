package io.lifeboat.core.repo;

import io.lifeboat.core.compress.CorruptDataException;
import io.lifeboat.core.compress.Zstd;
import io.lifeboat.core.crypto.AuthenticationException;
import io.lifeboat.core.crypto.SegmentedAead;
import java.util.Arrays;

/**
 * The byte format of chunk and manifest objects:
 *
 * <pre>
 * [0]      format version (1)
 * [1]      codec: 0 = stored, 1 = zstd
 * [2..17]  salt of the object key
 * [18..]   the (compressed) plaintext sealed in 64 KiB AES-256-GCM segments ({@link SegmentedAead})
 * </pre>
 *
 * The associated data is the two header bytes followed by a binding (the chunk id, or the
 * manifest's backup id), so an object cannot be swapped for another or have its header edited.
 * Compression is skipped when it saves less than 2 %.
 */
public final class SealedObjects {

  public static final byte VERSION = 1;
  public static final byte STORED = 0;
  public static final byte ZSTD = 1;
  public static final int HEADER = 2;
  private final SegmentedAead aes;

  SealedObjects(SegmentedAead aes) {
    this.aes = aes;
  }

  /** Compresses (when it pays and {@code level > 0}) and encrypts. */
  public byte[] seal(byte[] binding, byte[] plain, int off, int len, int level) {
    byte[] payload = plain;
    int payloadOff = off;
    int payloadLen = len;
    byte codec = STORED;
    if (level > 0 && len > 64) {
      byte[] compressed = new byte[Zstd.maxCompressedSize(len)];
      int n = Zstd.compress(compressed, 0, plain, off, len, level);
      if (n < len - len / 50) {
        payload = compressed;
        payloadOff = 0;
        payloadLen = n;
        codec = ZSTD;
      }
    }
    byte[] out = new byte[HEADER + SegmentedAead.sealedSize(payloadLen)];
    out[0] = VERSION;
    out[1] = codec;
    aes.seal(aad(out[0], codec, binding), payload, payloadOff, payloadLen, out, HEADER);
    return out;
  }

  /**
   * Authenticates, decrypts and decompresses.
   *
   * @param objectName for the message of a failure
   */
  public byte[] open(String objectName, byte[] binding, byte[] sealed)
      throws DamagedObjectException {
    if (sealed.length < HEADER + SegmentedAead.SALT_BYTES + SegmentedAead.TAG_BYTES) {
      throw new DamagedObjectException(objectName, "too short (" + sealed.length + " bytes)");
    }
    if (sealed[0] != VERSION) {
      throw new DamagedObjectException(objectName, "unknown format version " + sealed[0]);
    }
    byte codec = sealed[1];
    if (codec != STORED && codec != ZSTD) {
      throw new DamagedObjectException(objectName, "unknown codec " + codec);
    }
    byte[] payload;
    try {
      payload = aes.open(aad(sealed[0], codec, binding), sealed, HEADER, sealed.length - HEADER);
    } catch (AuthenticationException e) {
      throw new DamagedObjectException(
          objectName, "does not authenticate (altered on storage, or sealed under another key)");
    }
    if (codec == STORED) {
      return payload;
    }
    try {
      return Zstd.decompress(payload, 0, payload.length);
    } catch (CorruptDataException e) {
      throw new DamagedObjectException(objectName, String.valueOf(e.getMessage()));
    }
  }

  private static byte[] aad(byte version, byte codec, byte[] binding) {
    byte[] aad = Arrays.copyOf(new byte[] {version, codec}, HEADER + binding.length);
    System.arraycopy(binding, 0, aad, HEADER, binding.length);
    return aad;
  }
}
