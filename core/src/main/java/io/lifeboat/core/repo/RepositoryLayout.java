package io.lifeboat.core.repo;

import io.lifeboat.core.crypto.ChunkId;
import java.util.regex.Pattern;

/**
 * Where things live in a repository (documented in docs/repository-format.md): {@code config}
 * (plain JSON), {@code chunks/<first two hex digits>/<chunk id>} and {@code manifests/<backup id>}
 * (both sealed), and {@code quarantine/} (damaged objects moved aside, kept for inspection).
 */
public final class RepositoryLayout {

  public static final String CONFIG = "config";
  public static final String CHUNKS = "chunks/";
  public static final String MANIFESTS = "manifests/";
  public static final String QUARANTINE = "quarantine/";

  /** Key slots: {@code keys/<slot id>}, one per master key that opens the repository. */
  public static final String KEYS = "keys/";

  /** Tombstones of retired key slots: {@code keys-retired/<slot id>}. */
  public static final String KEYS_RETIRED = "keys-retired/";

  /** The journal of a key rotation under way (primary only; slot ids, no secret). */
  public static final String KEY_ROTATION = "keys-rotation";

  private static final Pattern BACKUP_ID =
      Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9._\\-]{0,127}");

  private RepositoryLayout() {}

  public static String chunk(ChunkId id) {
    return chunk(id.hex());
  }

  public static String chunk(String hex) {
    return CHUNKS + hex.substring(0, 2) + "/" + hex;
  }

  public static String manifest(String backupId) {
    return MANIFESTS + checkBackupId(backupId);
  }

  /** Backup ids become object names: letters, digits, '.', '_' and '-', at most 128. */
  public static boolean isValidBackupId(String backupId) {
    return backupId != null && BACKUP_ID.matcher(backupId).matches();
  }

  public static String checkBackupId(String backupId) {
    if (!isValidBackupId(backupId)) {
      throw new IllegalArgumentException(
          "invalid backup id (letters, digits, '.', '_', '-'; at most 128): " + backupId);
    }
    return backupId;
  }
}
