package io.lifeboat.core.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Seals a credential (a database password taken out of a source URI) so it can travel in a backup
 * request without appearing in it: AES-256-GCM under the master key, bound to the backup and the
 * component and to the spec it is the password of. Whoever holds the master key (the dump stage)
 * can open it; Kafka, the catalog and logs only ever see ciphertext.
 */
public final class CredentialSeal {

  private CredentialSeal() {}

  /**
   * @param spec the source spec without its password (user, host, port, database): the sealed
   *     password opens only for that spec, so it cannot be replayed against another host
   */
  public static byte[] seal(
      MasterKey key, String backupId, String component, String spec, String secret) {
    return key.wrap(secret.getBytes(StandardCharsets.UTF_8), context(backupId, component, spec));
  }

  /**
   * @throws AuthenticationException when sealed for another backup, component or spec, or under
   *     another key
   */
  public static String open(
      MasterKey key, String backupId, String component, String spec, byte[] sealed)
      throws AuthenticationException {
    return new String(
        key.unwrap(sealed, context(backupId, component, spec)), StandardCharsets.UTF_8);
  }

  private static String context(String backupId, String component, String spec) {
    return "lifeboat-credential-v2:" + backupId + ":" + component + ":" + spec;
  }
}
