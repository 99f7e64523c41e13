package io.lifeboat.stage.verify;

import io.lifeboat.events.Alert;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Backups some of whose chunks the upload stage could not store for good (it says so with a {@code
 * storage.write-failed} alert: missing bucket, access denied, ...). Verifying such a backup need
 * not wait for chunks that will never come: it fails at once with the upload's reason. Remembers
 * the most recent ten thousand backups.
 */
public final class WriteFailures {

  /** The alert kind the upload stage raises when storage refuses a chunk for good. */
  public static final String KIND = "storage.write-failed";

  private static final int CAPACITY = 10_000;

  private final Map<String, String> reasonByBackup =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > CAPACITY;
            }
          });

  /** Takes note of the alert if it says a chunk could not be stored. */
  public void accept(Alert alert) {
    if (KIND.equals(alert.getKind()) && alert.getSubject() != null) {
      reasonByBackup.putIfAbsent(alert.getSubject(), alert.getMessage());
    }
  }

  /** Why chunks of this backup could not be stored, if they could not. */
  public Optional<String> of(String backupId) {
    return Optional.ofNullable(reasonByBackup.get(backupId));
  }
}
