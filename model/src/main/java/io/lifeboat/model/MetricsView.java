package io.lifeboat.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /api/metrics} answers: a summary of everything the catalog holds (backups,
 * restores run by recoveries and recovery tests, recovery executions), computed from its stores at
 * the moment of the request. Prometheus series with the same figures are on {@code
 * /actuator/prometheus}; this is the form a program or a person reads.
 *
 * @param at when the summary was computed
 */
public record MetricsView(
    Instant at, BackupMetrics backups, RestoreMetrics restores, RecoveryMetrics recoveries) {

  /**
   * Backups in the catalog.
   *
   * @param byStatus how many backups have each status (SUCCESS, PARTIAL, FAILED, REJECTED, ...)
   * @param readBytes plaintext bytes of every finished backup's components
   * @param newBytes plaintext bytes of the chunks they added
   * @param storedBytes bytes they added to storage (compressed and encrypted)
   * @param newChunks chunks they added
   * @param dedupedChunks chunks they reused
   * @param dedupRatio readBytes / newBytes (how many times the data was found already stored); 1.0
   *     when nothing was read
   * @param compressionRatio newBytes / storedBytes; 1.0 when nothing was stored
   * @param averageDurationMs mean request-to-completion time of the finished backups
   * @param names one line per backup name, by name
   */
  public record BackupMetrics(
      Map<String, Long> byStatus,
      long readBytes,
      long newBytes,
      long storedBytes,
      long newChunks,
      long dedupedChunks,
      double dedupRatio,
      double compressionRatio,
      long averageDurationMs,
      List<NameMetrics> names) {}

  /**
   * One backup name.
   *
   * @param name the backup definition name
   * @param backups finished backups of that name in the catalog
   * @param failed how many of them FAILED, were REJECTED or ended PARTIAL
   * @param lastStatus the newest one's status
   * @param lastSuccessAt when the newest successful one completed
   * @param rpoSeconds its age now (the recovery point actually achieved); null without one
   * @param lastSizeBytes the newest successful one's plaintext size
   * @param lastDurationMs the newest successful one's duration
   */
  public record NameMetrics(
      String name,
      long backups,
      long failed,
      String lastStatus,
      @Nullable Instant lastSuccessAt,
      @Nullable Long rpoSeconds,
      long lastSizeBytes,
      long lastDurationMs) {}

  /**
   * Restores done by recovery executions (EXECUTE and TEST): one per restore step. Restores run by
   * {@code lifeboat restore} alone, without Kafka, are not seen by the catalog.
   *
   * @param count restore steps that ended
   * @param succeeded of which succeeded
   * @param failed of which failed
   * @param bytes bytes they restored
   * @param averageDurationMs their mean duration
   */
  public record RestoreMetrics(
      long count, long succeeded, long failed, long bytes, long averageDurationMs) {}

  /**
   * Recovery executions.
   *
   * @param byModeAndStatus how many executions of each mode (EXECUTE, TEST, VALIDATE, ROLLBACK)
   *     reached each status
   * @param plans one line per plan, by name
   */
  public record RecoveryMetrics(
      Map<String, Map<String, Long>> byModeAndStatus, List<PlanMetrics> plans) {}

  /**
   * One recovery plan: its newest finished execution that restored something (EXECUTE or TEST).
   *
   * @param plan the plan's name
   * @param lastMode that execution's mode
   * @param lastStatus its status
   * @param lastRtoMs its measured RTO
   * @param objectiveRtoMs the plan's RTO objective (0: none)
   * @param lastRpoMs the data it could not bring back
   * @param at when it completed
   */
  public record PlanMetrics(
      String plan,
      String lastMode,
      String lastStatus,
      long lastRtoMs,
      long objectiveRtoMs,
      long lastRpoMs,
      @Nullable Instant at) {}
}
