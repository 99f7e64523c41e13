package io.lifeboat.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A backup as the catalog API returns it (GET /api/backups and /api/backups/{id}), and as
 * {@code lifeboat list --json} prints it.
 *
 * @param backupId id
 * @param name backup definition name
 * @param type FULL, INCREMENTAL or DIFFERENTIAL
 * @param status REQUESTED, RUNNING, SUCCESS, PARTIAL, FAILED or REJECTED
 * @param reason why it is not SUCCESS, when it is not
 * @param labels user labels
 * @param requestedAt when it was requested
 * @param completedAt when it ended
 * @param durationMs request to completion
 * @param sizeBytes plaintext bytes of all components
 * @param storedBytes bytes this backup added to storage
 * @param newChunks chunks this backup added
 * @param dedupedChunks chunks it reused
 * @param newBytes plaintext bytes of the new chunks
 * @param compressionRatio newBytes / storedBytes
 * @param manifestChecksum SHA-256 of the stored manifest
 * @param locations where it is stored
 * @param components per component
 */
public record BackupView(
    String backupId,
    String name,
    String type,
    String status,
    String reason,
    Map<String, String> labels,
    Instant requestedAt,
    Instant completedAt,
    long durationMs,
    long sizeBytes,
    long storedBytes,
    int newChunks,
    int dedupedChunks,
    long newBytes,
    double compressionRatio,
    String manifestChecksum,
    List<String> locations,
    List<ComponentView> components) {

  /**
   * One component of a backup.
   *
   * @param name component name
   * @param kind provider kind
   * @param source source spec without credentials
   * @param status OK, PARTIAL or FAILED (or RUNNING while the backup is in progress)
   * @param error why it failed
   * @param warnings what was skipped
   * @param sizeBytes stream bytes
   * @param chunkCount chunks
   * @param newChunkCount new chunks
   * @param durationMs time to dump
   * @param metadata provider facts
   */
  public record ComponentView(
      String name,
      String kind,
      String source,
      String status,
      String error,
      List<String> warnings,
      long sizeBytes,
      int chunkCount,
      int newChunkCount,
      long durationMs,
      Map<String, String> metadata) {}
}
