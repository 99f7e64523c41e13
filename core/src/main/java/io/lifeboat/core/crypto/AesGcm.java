package io.lifeboat.core.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per message. Sealed form: nonce (12 bytes), then
 * ciphertext and the 16-byte tag. Thread-safe: each thread has its own Cipher. Uses the JDK's
 * SunJCE provider (hardware AES, far faster than Bouncy Castle here).
 */
public final class AesGcm {

  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;
  public static final int OVERHEAD = NONCE_BYTES + TAG_BYTES;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<Cipher> CIPHERS =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES/GCM is not available in this JDK", e);
            }
          });

  private final SecretKeySpec key;

  public AesGcm(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "AES-256 needs a 32-byte key, got " + key.length + " bytes");
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * Encrypts {@code plain[off, off+len)} into {@code out} at {@code outOff}, which must have room
   * for {@code len + OVERHEAD} bytes.
   *
   * @return bytes written
   */
  public int seal(byte[] aad, byte[] plain, int off, int len, byte[] out, int outOff) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, outOff, NONCE_BYTES);
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
      cipher.updateAAD(aad);
      return NONCE_BYTES + cipher.doFinal(plain, off, len, out, outOff + NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** Encrypts into a new array. */
  public byte[] seal(byte[] aad, byte[] plain) {
    byte[] out = new byte[plain.length + OVERHEAD];
    seal(aad, plain, 0, plain.length, out, 0);
    return out;
  }

  /**
   * Decrypts and authenticates {@code sealed[off, off+len)}.
   *
   * @throws AuthenticationException when the bytes were altered or sealed under another key
   */
  public byte[] open(byte[] aad, byte[] sealed, int off, int len) throws AuthenticationException {
    if (len < OVERHEAD) {
      throw new AuthenticationException("sealed data too short: " + len + " bytes");
    }
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, off, NONCE_BYTES));
      cipher.updateAAD(aad);
      return cipher.doFinal(sealed, off + NONCE_BYTES, len - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new AuthenticationException("authentication failed (data altered or wrong key)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  public byte[] open(byte[] aad, byte[] sealed) throws AuthenticationException {
    return open(aad, sealed, 0, sealed.length);
  }

  @Override
  public String toString() {
    return "AesGcm[key=<redacted>]";
  }
}
