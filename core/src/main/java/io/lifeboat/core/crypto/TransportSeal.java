package io.lifeboat.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encrypts a chunk for its trip from the dump stage to the compress-encrypt stage, so that no Kafka
 * broker, log segment or replica ever holds backup plaintext. AES-256-GCM under a key per backup,
 * derived from the master key (which both stages hold), with the backup and chunk ids as associated
 * data: a chunk cannot be moved to another backup or id unnoticed.
 */
public final class TransportSeal {

  private final byte[] root;
  private final Map<String, AesGcm> perBackup = new ConcurrentHashMap<>();

  /**
   * @param masterKey the repository's master key; the transport key is derived from it
   */
  public TransportSeal(MasterKey masterKey) {
    this.root = masterKey.derive("transport lifeboat.chunks.raw");
  }

  /**
   * The chunk's bytes as they travel: nonce, ciphertext, tag ({@link AesGcm#OVERHEAD} bytes more
   * than {@code len}).
   */
  public byte[] seal(String backupId, String chunkId, byte[] plain, int off, int len) {
    byte[] out = new byte[len + AesGcm.OVERHEAD];
    cipher(backupId).seal(aad(backupId, chunkId), plain, off, len, out, 0);
    return out;
  }

  /**
   * @throws AuthenticationException when altered, moved to another backup or id, or sealed under
   *     another key
   */
  public byte[] open(String backupId, String chunkId, byte[] sealed, int off, int len)
      throws AuthenticationException {
    return cipher(backupId).open(aad(backupId, chunkId), sealed, off, len);
  }

  private AesGcm cipher(String backupId) {
    AesGcm c = perBackup.get(backupId);
    if (c == null) {
      if (perBackup.size() > 64) {
        perBackup.clear(); // a few backups run at once; old ones are not needed again
      }
      c = perBackup.computeIfAbsent(backupId, id -> new AesGcm(hmac(root, "backup " + id)));
    }
    return c;
  }

  private static byte[] aad(String backupId, String chunkId) {
    return ("lifeboat-transport-v1:" + backupId + ":" + chunkId).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 is missing from this JDK", e);
    }
  }
}
