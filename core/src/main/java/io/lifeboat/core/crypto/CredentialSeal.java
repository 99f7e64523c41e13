package io.lifeboat.core.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Seals a credential (a database password taken out of a source URI) so it can travel in a backup
 * request without appearing in it: AES-256-GCM under the master key, bound to the backup and the
 * component. Whoever holds the master key (the dump stage) can open it; Kafka, the catalog and
 * logs only ever see ciphertext.
 */
public final class CredentialSeal {

  private CredentialSeal() {}

  public static byte[] seal(MasterKey key, String backupId, String component, String secret) {
    return key.wrap(secret.getBytes(StandardCharsets.UTF_8), context(backupId, component));
  }

  /** @throws AuthenticationException when sealed for another backup or component, or under another key */
  public static String open(MasterKey key, String backupId, String component, byte[] sealed) throws AuthenticationException {
    return new String(key.unwrap(sealed, context(backupId, component)), StandardCharsets.UTF_8);
  }

  private static String context(String backupId, String component) {
    return "lifeboat-credential-v1:" + backupId + ":" + component;
  }
}
