package io.lifeboat.client;

import io.lifeboat.model.BackupView;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a backup ended: its components, where it is stored and the checksum of its manifest.
 *
 * @param backupId the backup
 * @param status SUCCESS, PARTIAL, FAILED, CANCELLED, REJECTED, or TIMED_OUT when no answer came in
 *     time (the backup may still finish: follow it with {@link LifeboatClient#getBackup})
 * @param reason why it is not SUCCESS
 * @param components per component: kind, source (without credentials), size, chunks, metadata
 * @param locations where it is stored (primary first)
 * @param manifestChecksum SHA-256 of the stored manifest
 * @param metadata the backup's labels
 * @param sizeBytes plaintext bytes of all components
 * @param storedBytes bytes this backup added to storage
 * @param durationMs request to completion
 * @param view the whole view, as the catalog shows it (null when rejected or timed out)
 */
public record BackupResult(
    String backupId,
    String status,
    @Nullable String reason,
    List<BackupView.ComponentView> components,
    List<String> locations,
    @Nullable String manifestChecksum,
    Map<String, String> metadata,
    long sizeBytes,
    long storedBytes,
    long durationMs,
    @Nullable BackupView view) {

  public boolean succeeded() {
    return "SUCCESS".equals(status);
  }

  static BackupResult of(BackupOutcome outcome) {
    if (outcome.completed() != null) {
      BackupView v = BackupView.of(outcome.completed());
      return new BackupResult(
          v.backupId(),
          v.status(),
          v.reason(),
          v.components(),
          v.locations(),
          v.manifestChecksum(),
          v.labels(),
          v.sizeBytes(),
          v.storedBytes(),
          v.durationMs(),
          v);
    }
    if (outcome.rejected() != null) {
      return new BackupResult(
          outcome.backupId(),
          "REJECTED",
          String.join("; ", outcome.rejected().getReasons()),
          List.of(),
          List.of(),
          null,
          Map.of(),
          0,
          0,
          0,
          null);
    }
    return new BackupResult(
        outcome.backupId(),
        "TIMED_OUT",
        "no completion within the time given",
        List.of(),
        List.of(),
        null,
        Map.of(),
        0,
        0,
        0,
        null);
  }
}
