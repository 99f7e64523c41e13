package io.lifeboat.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A backup as the catalog API returns it (GET /api/backups and /api/backups/{id}), and as {@code
 * lifeboat list --json} prints it.
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
 * @param locationStatus per location (primary first): complete there or not
 * @param lastVerification the latest verification on request ({@code POST
 *     /api/backups/{id}/verify}), or null when none was asked for
 */
public record BackupView(
    String backupId,
    String name,
    String type,
    String status,
    @Nullable String reason,
    Map<String, String> labels,
    @Nullable Instant requestedAt,
    @Nullable Instant completedAt,
    long durationMs,
    long sizeBytes,
    long storedBytes,
    int newChunks,
    int dedupedChunks,
    long newBytes,
    double compressionRatio,
    @Nullable String manifestChecksum,
    List<String> locations,
    List<ComponentView> components,
    List<LocationView> locationStatus,
    @Nullable Verification lastVerification) {

  /**
   * The latest verification of a stored backup: every chunk read back and authenticated.
   *
   * @param verificationId the request it answers
   * @param at when it ended
   * @param ok every chunk authenticated
   * @param chunksChecked chunks read
   * @param bytesChecked plaintext bytes authenticated
   * @param durationMs how long it took
   * @param problems what was found missing or damaged
   */
  public record Verification(
      String verificationId,
      Instant at,
      boolean ok,
      long chunksChecked,
      long bytesChecked,
      long durationMs,
      List<String> problems) {
    /** The view of a catalog summary, or null. */
    public static @Nullable Verification of(io.lifeboat.events.@Nullable VerificationSummary v) {
      return v == null
          ? null
          : new Verification(
              v.getVerificationId(),
              v.getAt(),
              v.getOk(),
              v.getChunksChecked(),
              v.getBytesChecked(),
              v.getDurationMs(),
              v.getProblems());
    }
  }

  /**
   * One storage location of a backup.
   *
   * @param location where
   * @param primary whether it is the primary
   * @param complete every chunk and the manifest are there
   * @param missingChunks chunks of the backup it lacks
   * @param error why it could not be checked
   */
  public record LocationView(
      String location,
      boolean primary,
      boolean complete,
      int missingChunks,
      @Nullable String error) {
    static List<LocationView> of(List<io.lifeboat.events.LocationStatus> list) {
      return list.stream()
          .map(
              l ->
                  new LocationView(
                      l.getLocation(),
                      l.getPrimary(),
                      l.getComplete(),
                      l.getMissingChunks(),
                      l.getError()))
          .toList();
    }
  }

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
      @Nullable String error,
      List<String> warnings,
      long sizeBytes,
      int chunkCount,
      int newChunkCount,
      long durationMs,
      Map<String, String> metadata) {}

  /** Builds the per-location views of catalog or event data. */
  public static List<LocationView> locations(List<io.lifeboat.events.LocationStatus> list) {
    return LocationView.of(list);
  }

  /** The view of a completed backup, straight from its completion event. */
  public static BackupView of(io.lifeboat.events.BackupCompleted c) {
    List<ComponentView> components = new java.util.ArrayList<>();
    for (io.lifeboat.events.ComponentSummary s : c.getComponents()) {
      components.add(
          new ComponentView(
              s.getName(),
              s.getKind(),
              s.getSource(),
              s.getStatus().name(),
              s.getError(),
              s.getWarnings(),
              s.getSizeBytes(),
              s.getChunkCount(),
              s.getNewChunkCount(),
              s.getDurationMs(),
              s.getMetadata()));
    }
    return new BackupView(
        c.getBackupId(),
        c.getName(),
        c.getType().name(),
        c.getStatus().name(),
        c.getReason(),
        c.getLabels(),
        c.getRequestedAt(),
        c.getCompletedAt(),
        c.getDurationMs(),
        c.getSizeBytes(),
        c.getStoredBytes(),
        c.getNewChunks(),
        c.getDedupedChunks(),
        c.getNewBytes(),
        c.getCompressionRatio(),
        c.getManifestChecksum(),
        c.getLocations(),
        components,
        LocationView.of(c.getLocationStatus()),
        null);
  }

  /** The view of a rejected request. */
  public static BackupView of(io.lifeboat.events.BackupRejected r) {
    return new BackupView(
        r.getBackupId(),
        r.getName(),
        "FULL",
        "REJECTED",
        String.join("; ", r.getReasons()),
        Map.of(),
        r.getEnvelope().getTime(),
        r.getEnvelope().getTime(),
        0,
        0,
        0,
        0,
        0,
        0,
        1.0,
        null,
        List.of(),
        List.of(),
        List.of(),
        null);
  }
}
