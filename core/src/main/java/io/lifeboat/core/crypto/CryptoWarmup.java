package io.lifeboat.core.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Gets the JIT to compile the JDK's AES-GCM, GHASH and SHA-256 intrinsics before real data arrives.
 * Until C2 compiles them they run as plain Java at 50-100 MB/s; in a busy JVM starting dozens of
 * other things that can last for gigabytes. Small messages raise the invocation Meant for a
 * background thread at service start. It uses the production shape (whole 64 KiB segments): C2
 * compiles for the message sizes it has seen, and a warm-up on other sizes deoptimizes.
 */
public final class CryptoWarmup {

  private CryptoWarmup() {}

  /** Encrypts, decrypts and hashes about {@code bytes} bytes as 256 KiB objects. */
  public static void run(long bytes) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    SegmentedAead aead = new SegmentedAead(key);
    ChunkIdHasher hasher = new ChunkIdHasher(key);
    byte[] plain = new byte[4 * SegmentedAead.SEGMENT];
    byte[] sealed = new byte[SegmentedAead.sealedSize(plain.length)];
    byte[] aad = new byte[34];
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      return;
    }
    for (long done = 0;
        done < bytes && !Thread.currentThread().isInterrupted();
        done += plain.length) {
      plain[(int) (done >>> 18) % plain.length] ^= 1;
      aead.seal(aad, plain, 0, plain.length, sealed, 0);
      try {
        aead.open(aad, sealed, 0, sealed.length);
      } catch (AuthenticationException e) {
        throw new IllegalStateException("warm-up round trip failed", e);
      }
      hasher.idOf(plain);
      sha.update(plain);
    }
  }

  /** Runs {@link #run} on a low-priority daemon thread. */
  public static Thread inBackground(long bytes) {
    Thread t = new Thread(() -> run(bytes), "lifeboat-crypto-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return t;
  }
}
