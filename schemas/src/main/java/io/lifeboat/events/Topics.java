package io.lifeboat.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The only place where topic names, partition counts and topic configs are written down.
 *
 * <p>Backup control topics (requests, rejections, components, dumps, completions) all have the same
 * partition count and are keyed by backup id, so that one backup's events meet in the same
 * partition number everywhere: the catalog merges them without a repartition. Chunk topics are
 * keyed by chunk id, so the work spreads over partitions and the same chunk always lands on the
 * same partition.
 */
public final class Topics {

  /** Partitions of every topic keyed by backup id (they must stay equal). */
  public static final int CONTROL_PARTITIONS = 3;

  /** Partitions of the chunk topics: the unit of parallelism of the seal and upload stages. */
  public static final int CHUNK_PARTITIONS = 6;

  /** Largest record any Lifeboat topic accepts (chunks are at most 8 MiB, see ChunkerParams). */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private static final String DAYS_30 = Long.toString(Duration.ofDays(30).toMillis());
  private static final String DAYS_7 = Long.toString(Duration.ofDays(7).toMillis());

  public static final TopicSpec<BackupRequested> BACKUP_REQUESTS =
      control("lifeboat.backup.requests", BackupRequested.class);
  public static final TopicSpec<BackupRejected> BACKUP_REJECTIONS =
      control("lifeboat.backup.rejections", BackupRejected.class);
  public static final TopicSpec<ComponentDumped> BACKUP_COMPONENTS =
      control("lifeboat.backup.components", ComponentDumped.class);
  public static final TopicSpec<BackupDumped> BACKUP_DUMPS =
      control("lifeboat.backup.dumps", BackupDumped.class);
  public static final TopicSpec<BackupCompleted> BACKUP_COMPLETIONS =
      control("lifeboat.backup.completions", BackupCompleted.class);
  public static final TopicSpec<Alert> ALERTS = control("lifeboat.alerts", Alert.class);
  public static final TopicSpec<BackupCancelRequested> BACKUP_CANCELLATIONS =
      control("lifeboat.backup.cancellations", BackupCancelRequested.class);
  public static final TopicSpec<BackupDeleted> BACKUP_DELETIONS =
      control("lifeboat.backup.deletions", BackupDeleted.class);
  public static final TopicSpec<BackupDeleteRequested> BACKUP_DELETE_REQUESTS =
      control("lifeboat.backup.delete-requests", BackupDeleteRequested.class);
  public static final TopicSpec<BackupVerifyRequested> BACKUP_VERIFY_REQUESTS =
      control("lifeboat.backup.verify-requests", BackupVerifyRequested.class);
  public static final TopicSpec<BackupVerified> BACKUP_VERIFICATIONS =
      control("lifeboat.backup.verifications", BackupVerified.class);

  /**
   * Plaintext chunks. Retention is short (one hour) and the seal stage deletes what it has sealed.
   * Deleting records only moves the log start; the bytes go when their segment file goes, so
   * segments roll every 10 s or 64 MiB and are removed a second after they fall below the log start
   * (at the broker's next retention check): plaintext must not linger on the brokers.
   */
  public static final TopicSpec<ChunkRaw> CHUNKS_RAW =
      new TopicSpec<>(
          "lifeboat.chunks.raw",
          CHUNK_PARTITIONS,
          Map.of(
              "retention.ms",
              Long.toString(Duration.ofHours(1).toMillis()),
              "max.message.bytes",
              Integer.toString(MAX_MESSAGE_BYTES),
              "segment.ms",
              "10000",
              "segment.bytes",
              Integer.toString(64 * 1024 * 1024),
              "file.delete.delay.ms",
              "1000",
              "cleanup.policy",
              "delete"),
          ChunkRaw.class);

  public static final TopicSpec<ChunkSealed> CHUNKS_SEALED =
      new TopicSpec<>(
          "lifeboat.chunks.sealed",
          CHUNK_PARTITIONS,
          Map.of("retention.ms", DAYS_7, "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)),
          ChunkSealed.class);
  public static final TopicSpec<ChunkStored> CHUNKS_STORED =
      new TopicSpec<>(
          "lifeboat.chunks.stored",
          CHUNK_PARTITIONS,
          Map.of("retention.ms", DAYS_7),
          ChunkStored.class);

  /** Recovery plans by name; compacted, so the latest definition of each plan is kept for good. */
  public static final TopicSpec<RecoveryPlanDefined> RECOVERY_PLANS =
      new TopicSpec<>(
          "lifeboat.recovery.plans",
          1,
          Map.of(
              "cleanup.policy",
              "compact",
              "max.message.bytes",
              Integer.toString(MAX_MESSAGE_BYTES)),
          RecoveryPlanDefined.class);

  /**
   * Schedules by name; compacted, so the latest definition of each is kept for good (a tombstone
   * deletes one). Keyed by schedule name with the control partition count: the scheduler meets a
   * schedule and the outcomes of its backups (re-keyed by schedule name) in the same partition.
   */
  public static final TopicSpec<ScheduleDefined> SCHEDULES =
      new TopicSpec<>(
          "lifeboat.schedules",
          CONTROL_PARTITIONS,
          Map.of(
              "cleanup.policy",
              "compact",
              "max.message.bytes",
              Integer.toString(MAX_MESSAGE_BYTES)),
          ScheduleDefined.class);

  public static final TopicSpec<RecoveryRequested> RECOVERY_REQUESTS =
      control("lifeboat.recovery.requests", RecoveryRequested.class);
  public static final TopicSpec<RecoveryStepCommand> RECOVERY_COMMANDS =
      control("lifeboat.recovery.commands", RecoveryStepCommand.class);
  public static final TopicSpec<RecoveryStepResult> RECOVERY_RESULTS =
      control("lifeboat.recovery.results", RecoveryStepResult.class);
  public static final TopicSpec<RecoveryExecution> RECOVERY_EXECUTIONS =
      control("lifeboat.recovery.executions", RecoveryExecution.class);
  public static final TopicSpec<RecoveryProgress> RECOVERY_PROGRESS =
      new TopicSpec<>(
          "lifeboat.recovery.progress",
          CONTROL_PARTITIONS,
          Map.of("retention.ms", Long.toString(Duration.ofDays(1).toMillis())),
          RecoveryProgress.class);

  /**
   * Who changed what, and every refusal ({@link AuditEvent}), keyed by event id; kept 400 days so a
   * year of history can be asked about.
   */
  public static final TopicSpec<AuditEvent> AUDIT =
      new TopicSpec<>(
          "lifeboat.audit",
          CONTROL_PARTITIONS,
          Map.of(
              "retention.ms",
              Long.toString(Duration.ofDays(400).toMillis()),
              "max.message.bytes",
              Integer.toString(MAX_MESSAGE_BYTES)),
          AuditEvent.class);

  /** Changes held for a second admin's approval ({@link ApprovalRequested}), by request id. */
  public static final TopicSpec<ApprovalRequested> APPROVALS =
      control("lifeboat.approvals", ApprovalRequested.class);

  /** Approvals and rejections of held changes ({@link ApprovalDecided}), by request id. */
  public static final TopicSpec<ApprovalDecided> APPROVAL_DECISIONS =
      control("lifeboat.approval-decisions", ApprovalDecided.class);

  private Topics() {}

  /** Every topic the pipeline uses (not counting dead-letter topics). */
  public static List<TopicSpec<?>> all() {
    return List.of(
        BACKUP_REQUESTS,
        BACKUP_REJECTIONS,
        BACKUP_COMPONENTS,
        BACKUP_DUMPS,
        BACKUP_COMPLETIONS,
        ALERTS,
        BACKUP_CANCELLATIONS,
        BACKUP_DELETIONS,
        BACKUP_DELETE_REQUESTS,
        BACKUP_VERIFY_REQUESTS,
        BACKUP_VERIFICATIONS,
        CHUNKS_RAW,
        CHUNKS_SEALED,
        CHUNKS_STORED,
        RECOVERY_PLANS,
        SCHEDULES,
        RECOVERY_REQUESTS,
        RECOVERY_COMMANDS,
        RECOVERY_RESULTS,
        RECOVERY_EXECUTIONS,
        RECOVERY_PROGRESS,
        AUDIT,
        APPROVALS,
        APPROVAL_DECISIONS);
  }

  /** Configs of every dead-letter topic: one partition, kept 30 days, large records allowed. */
  public static Map<String, String> deadLetterConfigs() {
    return Map.of(
        "retention.ms", DAYS_30, "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES));
  }

  private static <V extends org.apache.avro.specific.SpecificRecord> TopicSpec<V> control(
      String name, Class<V> type) {
    return new TopicSpec<>(
        name,
        CONTROL_PARTITIONS,
        Map.of("retention.ms", DAYS_30, "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)),
        type);
  }
}
