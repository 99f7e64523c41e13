package io.lifeboat.stage.verify;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupDumped;
import io.lifeboat.events.BackupStatus;
import io.lifeboat.events.ComponentStatus;
import io.lifeboat.events.ComponentSummary;
import io.lifeboat.events.DumpedComponent;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.LocationStatus;
import io.lifeboat.events.Severity;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The verify stage's logic, without Kafka: waits until every chunk of a dumped backup is in
 * storage, reads back and authenticates each chunk the backup added, and only then writes the
 * encrypted manifest and reports the backup complete. A backup with a missing or damaged chunk gets
 * no manifest: it is reported FAILED and alerted on.
 */
public final class VerifyStage implements AutoCloseable {

  /**
   * What verifying produced.
   *
   * @param completed the completion event
   * @param alerts alerts to raise
   */
  public record Result(BackupCompleted completed, List<Alert> alerts) {}

  private final Supplier<Repository> repository;
  private final Map<String, Backend> replicas;
  private final Duration noProgressTimeout;
  private final int parallelism;

  /** The pools of the backups being verified now: each backup waits on its own threads. */
  private final java.util.Set<ExecutorService> pools =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final WriteFailures writeFailures;
  private final VerifiedChunks verified;
  private final java.util.function.Function<String, java.util.Optional<String>> cancelled;

  /** By default a reused chunk is trusted for this long after it was last authenticated. */
  public static final Duration DEFAULT_REUSED_CHUNK_WINDOW = Duration.ofDays(7);

  /** By default this many verified chunks are remembered (about 100 bytes each). */
  public static final int DEFAULT_VERIFIED_CHUNKS_REMEMBERED = 200_000;

  public VerifyStage(Supplier<Repository> repository, Duration noProgressTimeout, int parallelism) {
    this(
        repository,
        Map.of(),
        noProgressTimeout,
        parallelism,
        new WriteFailures(),
        DEFAULT_REUSED_CHUNK_WINDOW);
  }

  /**
   * @param replicas further locations that get the manifest once they hold every chunk
   * @param writeFailures backups the upload stage could not store chunks of: not waited for
   * @param reusedChunkWindow how long a chunk authenticated by this process is trusted when a later
   *     backup reuses it (zero: authenticate every reuse)
   */
  public VerifyStage(
      Supplier<Repository> repository,
      Map<String, Backend> replicas,
      Duration noProgressTimeout,
      int parallelism,
      WriteFailures writeFailures,
      Duration reusedChunkWindow) {
    this(
        repository,
        replicas,
        noProgressTimeout,
        parallelism,
        writeFailures,
        reusedChunkWindow,
        id -> java.util.Optional.empty());
  }

  /**
   * @param cancelled why a backup was cancelled, if it was: it is committed no further
   */
  public VerifyStage(
      Supplier<Repository> repository,
      Map<String, Backend> replicas,
      Duration noProgressTimeout,
      int parallelism,
      WriteFailures writeFailures,
      Duration reusedChunkWindow,
      java.util.function.Function<String, java.util.Optional<String>> cancelled) {
    this.cancelled = cancelled;
    this.verified = new VerifiedChunks(reusedChunkWindow, DEFAULT_VERIFIED_CHUNKS_REMEMBERED);
    this.repository = repository;
    this.writeFailures = writeFailures;
    this.replicas = Map.copyOf(replicas);
    this.noProgressTimeout = noProgressTimeout;
    this.parallelism = parallelism;
  }

  /**
   * After a successful scheduled backup: applies its schedule's retention policy ({@link
   * ScheduleRetention}, from the schedule, not from the backup's labels) to the backups of its
   * name, at every location. The backup just made is the newest, so it is always kept.
   *
   * @return the backups removed (their manifests deleted), none when no policy applies
   */
  public List<io.lifeboat.core.retention.Retention.Decision> applyRetention(
      BackupCompleted done, java.util.Optional<io.lifeboat.core.retention.RetentionPolicy> rule) {
    if (rule.isEmpty()
        || done.getName().startsWith("wal.") // archived WAL: only forget's WAL rule removes it
        || done.getStatus() != io.lifeboat.events.BackupStatus.SUCCESS) {
      return List.of();
    }
    io.lifeboat.core.retention.RetentionPolicy policy = rule.get();
    Repository repo = repository.get();
    List<Backend> locations = new java.util.ArrayList<>();
    locations.add(repo.backend());
    locations.addAll(replicas.values());
    String schedule =
        done.getLabels()
            .getOrDefault(io.lifeboat.core.schedule.ScheduledBackups.SCHEDULE_LABEL, "?");
    return io.lifeboat.core.retention.RetentionRun.apply(
            repo,
            locations,
            done.getName(),
            policy,
            java.time.Instant.now(),
            java.time.ZoneOffset.UTC,
            "retention of schedule " + schedule)
        .stream()
        .filter(d -> !d.keep())
        .toList();
  }

  public Result verifyAndCommit(BackupDumped dumped) {
    Repository repo = repository.get();
    try {
      return verifyAndCommit(repo, dumped);
    } finally {
      // the backup's hold against prune ends with its manifest (or its failure)
      new io.lifeboat.core.prune.RepositoryLocks(repo.backend()).unlockBackup(dumped.getBackupId());
    }
  }

  private Result verifyAndCommit(Repository repo, BackupDumped dumped) {
    if (repo.hasManifest(dumped.getBackupId())) {
      return replay(repo, dumped);
    }
    Map<ChunkId, Boolean> chunks = distinctChunks(dumped);
    if (cancelled.apply(dumped.getBackupId()).isPresent()) {
      return cancelledResult(repo, dumped);
    }
    List<ChunkCheck.Result> results = checkAll(repo, chunks, dumped.getBackupId());
    if (cancelled.apply(dumped.getBackupId()).isPresent()) {
      return cancelledResult(repo, dumped); // checked last before the commit
    }
    long storedBytes = 0;
    List<String> missing = new ArrayList<>();
    List<String> damaged = new ArrayList<>();
    List<String> rotted = new ArrayList<>();
    for (ChunkCheck.Result r : results) {
      storedBytes += r.storedSize();
      switch (r.status()) {
        case MISSING -> missing.add(r.id().hex() + " (" + r.detail() + ")");
        case DAMAGED -> (r.isNew() ? damaged : rotted).add(r.id().hex() + " (" + r.detail() + ")");
        default -> {}
      }
    }
    List<ComponentSummary> summaries =
        dumped.getComponents().stream().map(DumpedComponent::getSummary).toList();
    BackupStatus status = statusOf(summaries);
    String reason = reasonOf(summaries);
    List<Alert> alerts = new ArrayList<>();
    String checksum = null;
    byte[] sealed = null;
    if (!rotted.isEmpty()) {
      alerts.add(rotAlert(dumped, repo.backend().location(), rotted));
    }
    if (!missing.isEmpty() || !damaged.isEmpty() || !rotted.isEmpty()) {
      status = BackupStatus.FAILED;
      reason = describeLost(missing, damaged, rotted);
      alerts.add(
          alert(
              dumped,
              Severity.CRITICAL,
              damaged.isEmpty() && rotted.isEmpty() ? "backup.failed" : "backup.corrupted",
              reason));
    } else if (status == BackupStatus.FAILED) {
      alerts.add(alert(dumped, Severity.CRITICAL, "backup.failed", reason));
    } else {
      Manifest manifest = manifestOf(dumped, status);
      sealed = repo.sealManifest(manifest);
      Repository.storeManifest(repo.backend(), dumped.getBackupId(), sealed);
      checksum = Repository.sha256(sealed);
      if (status == BackupStatus.PARTIAL) {
        alerts.add(alert(dumped, Severity.WARNING, "backup.partial", reason));
      }
      WalGapCheck.missingBefore(repo, dumped).ifPresent(gap -> alerts.add(walGap(dumped, gap)));
    }
    List<LocationStatus> locations = new ArrayList<>();
    locations.add(
        LocationStatus.newBuilder()
            .setLocation(repo.backend().location())
            .setPrimary(true)
            .setComplete(sealed != null)
            .setMissingChunks(missing.size())
            .build());
    locations.addAll(replicaStatus(dumped, chunks.keySet(), sealed, alerts));
    return new Result(
        completion(dumped, status, reason, storedBytes, checksum, repo, locations), alerts);
  }

  /**
   * Whether each replica holds every chunk of the backup; the manifest is copied to those that do.
   * A replica that is behind gets it later from the repairer.
   */
  private List<LocationStatus> replicaStatus(
      BackupDumped dumped,
      java.util.Set<ChunkId> chunks,
      byte @Nullable [] sealedManifest,
      List<Alert> alerts) {
    List<LocationStatus> out = new ArrayList<>();
    for (Backend replica : replicas.values()) {
      LocationStatus.Builder st =
          LocationStatus.newBuilder().setLocation(replica.location()).setPrimary(false);
      try {
        java.util.Set<String> present = new java.util.HashSet<>();
        replica.list(io.lifeboat.core.repo.RepositoryLayout.CHUNKS, o -> present.add(o.name()));
        int absent =
            (int)
                chunks.stream()
                    .filter(
                        id -> !present.contains(io.lifeboat.core.repo.RepositoryLayout.chunk(id)))
                    .count();
        st.setMissingChunks(absent);
        if (absent == 0 && sealedManifest != null) {
          Repository.storeManifest(replica, dumped.getBackupId(), sealedManifest);
          st.setComplete(true);
        } else {
          st.setComplete(false);
          if (sealedManifest != null) {
            alerts.add(
                alert(
                    dumped,
                    Severity.WARNING,
                    "replica.behind",
                    replica.location()
                        + " lacks "
                        + absent
                        + " chunk(s) of this backup; the repairer will copy them"));
          }
        }
      } catch (StorageException e) {
        st.setComplete(false).setError(e.getMessage());
        alerts.add(
            alert(
                dumped,
                Severity.WARNING,
                "replica.unreachable",
                replica.location() + ": " + e.getMessage()));
      }
      out.add(st.build());
    }
    return out;
  }

  /** Cancelled: no manifest, status CANCELLED; what it stored is garbage for the next prune. */
  private Result cancelledResult(Repository repo, BackupDumped dumped) {
    String why = cancelled.apply(dumped.getBackupId()).orElse("cancelled");
    return new Result(
        completion(
            dumped,
            BackupStatus.CANCELLED,
            "cancelled: " + why + "; nothing was committed",
            0,
            null,
            repo,
            List.of()),
        List.of());
  }

  private Result replay(Repository repo, BackupDumped dumped) {
    try {
      Manifest m = repo.readManifest(dumped.getBackupId());
      byte[] sealed =
          repo.backend().get(io.lifeboat.core.repo.RepositoryLayout.manifest(dumped.getBackupId()));
      BackupStatus status = BackupStatus.valueOf(m.status());
      List<Alert> alerts = new ArrayList<>();
      List<LocationStatus> locations = new ArrayList<>();
      locations.add(
          LocationStatus.newBuilder()
              .setLocation(repo.backend().location())
              .setPrimary(true)
              .setComplete(true)
              .build());
      locations.addAll(replicaStatus(dumped, distinctChunks(dumped).keySet(), sealed, alerts));
      return new Result(
          completion(dumped, status, null, 0, Repository.sha256(sealed), repo, locations), alerts);
    } catch (DamagedObjectException e) {
      String reason = "the manifest already stored for this backup is damaged: " + e.getMessage();
      return new Result(
          completion(dumped, BackupStatus.FAILED, reason, 0, null, repo, List.of()),
          List.of(alert(dumped, Severity.CRITICAL, "backup.corrupted", reason)));
    }
  }

  private static Map<ChunkId, Boolean> distinctChunks(BackupDumped dumped) {
    Map<ChunkId, Boolean> chunks = new LinkedHashMap<>();
    for (DumpedComponent c : dumped.getComponents()) {
      if (c.getSummary().getStatus() == ComponentStatus.FAILED) {
        continue;
      }
      byte[] ids = bytes(c.getChunkIds());
      BitSet fresh = BitSet.valueOf(bytes(c.getNewChunkMask()));
      for (int i = 0; i * ChunkId.BYTES < ids.length; i++) {
        chunks.merge(ChunkId.of(ids, i * ChunkId.BYTES), fresh.get(i), Boolean::logicalOr);
      }
    }
    return chunks;
  }

  private List<ChunkCheck.Result> checkAll(
      Repository repo, Map<ChunkId, Boolean> chunks, String backupId) {
    AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    ChunkCheck check =
        new ChunkCheck(
            repo,
            noProgressTimeout,
            lastProgress,
            () ->
                writeFailures
                    .of(backupId)
                    .or(() -> cancelled.apply(backupId).map(why -> "the backup was cancelled")),
            verified);
    // a pool per backup: one backup waiting for chunks that never come (a full disk) must not
    // hold the threads every other backup needs
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallelism,
            r -> {
              Thread t = new Thread(r, "lifeboat-verify-" + backupId);
              t.setDaemon(true);
              return t;
            });
    pools.add(pool);
    try {
      return checkAll(pool, check, chunks);
    } finally {
      pool.shutdownNow();
      pools.remove(pool);
    }
  }

  private static List<ChunkCheck.Result> checkAll(
      ExecutorService pool, ChunkCheck check, Map<ChunkId, Boolean> chunks) {
    List<Future<ChunkCheck.Result>> futures = new ArrayList<>();
    chunks.forEach((id, isNew) -> futures.add(pool.submit(() -> check.check(id, isNew))));
    List<ChunkCheck.Result> results = new ArrayList<>();
    try {
      for (Future<ChunkCheck.Result> f : futures) {
        results.add(f.get());
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      throw new IllegalStateException("verifying failed: " + e.getCause(), e.getCause());
    }
    return results;
  }

  static BackupStatus statusOf(List<ComponentSummary> components) {
    long failed = components.stream().filter(c -> c.getStatus() == ComponentStatus.FAILED).count();
    long partial =
        components.stream().filter(c -> c.getStatus() == ComponentStatus.PARTIAL).count();
    if (failed == components.size()) {
      return BackupStatus.FAILED;
    }
    return failed + partial > 0 ? BackupStatus.PARTIAL : BackupStatus.SUCCESS;
  }

  private static @Nullable String reasonOf(List<ComponentSummary> components) {
    List<String> parts = new ArrayList<>();
    for (ComponentSummary c : components) {
      if (c.getStatus() == ComponentStatus.FAILED) {
        parts.add(c.getName() + ": " + c.getError());
      } else if (c.getStatus() == ComponentStatus.PARTIAL) {
        parts.add(
            c.getName()
                + ": "
                + c.getWarnings().size()
                + " warning(s), first: "
                + c.getWarnings().get(0));
      }
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  private static String describeLost(
      List<String> missing, List<String> damaged, List<String> rotted) {
    StringBuilder b = new StringBuilder();
    if (!rotted.isEmpty()) {
      b.append(rotted.size())
          .append(" chunk(s) reused from earlier backups are damaged in storage: ")
          .append(String.join(", ", rotted.subList(0, Math.min(5, rotted.size()))))
          .append("; they were moved to quarantine and the next backup of this data stores them")
          .append(" again");
    }
    if (!damaged.isEmpty()) {
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(damaged.size())
          .append(" chunk(s) failed verification after upload: ")
          .append(String.join(", ", damaged.subList(0, Math.min(5, damaged.size()))));
    }
    if (!missing.isEmpty()) {
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(missing.size())
          .append(" chunk(s) never reached storage: ")
          .append(String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
    }
    return b.toString();
  }

  private static Manifest manifestOf(BackupDumped dumped, BackupStatus status) {
    List<Manifest.Component> components = new ArrayList<>();
    for (DumpedComponent c : dumped.getComponents()) {
      ComponentSummary s = c.getSummary();
      if (s.getStatus() == ComponentStatus.FAILED) {
        continue;
      }
      byte[] ids = bytes(c.getChunkIds());
      List<String> hex = new ArrayList<>();
      for (int i = 0; i * ChunkId.BYTES < ids.length; i++) {
        hex.add(ChunkId.of(ids, i * ChunkId.BYTES).hex());
      }
      components.add(
          new Manifest.Component(
              s.getName(),
              s.getKind(),
              s.getSource(),
              s.getStatus().name(),
              s.getWarnings(),
              s.getSizeBytes(),
              s.getStreamSha256(),
              s.getMetadata(),
              hex,
              c.getChunkSizes()));
    }
    return new Manifest(
        Manifest.VERSION,
        dumped.getBackupId(),
        dumped.getName(),
        dumped.getType().name(),
        status.name(),
        dumped.getLabels(),
        dumped.getRequestedAt(),
        dumped.getStartedAt(),
        Instant.now(),
        components);
  }

  private static BackupCompleted completion(
      BackupDumped d,
      BackupStatus status,
      @Nullable String reason,
      long storedBytes,
      @Nullable String checksum,
      Repository repo,
      List<LocationStatus> locations) {
    List<ComponentSummary> summaries =
        d.getComponents().stream().map(DumpedComponent::getSummary).toList();
    long size = summaries.stream().mapToLong(ComponentSummary::getSizeBytes).sum();
    long newBytes = summaries.stream().mapToLong(ComponentSummary::getNewBytes).sum();
    int chunks = summaries.stream().mapToInt(ComponentSummary::getChunkCount).sum();
    int fresh = summaries.stream().mapToInt(ComponentSummary::getNewChunkCount).sum();
    Instant now = Instant.now();
    return BackupCompleted.newBuilder()
        .setEnvelope(Envelopes.next(d.getBackupId()))
        .setBackupId(d.getBackupId())
        .setName(d.getName())
        .setType(d.getType())
        .setStatus(status)
        .setReason(reason)
        .setLabels(d.getLabels())
        .setRequestedAt(d.getRequestedAt())
        .setStartedAt(d.getStartedAt())
        .setCompletedAt(now)
        .setDurationMs(Duration.between(d.getRequestedAt(), now).toMillis())
        .setSizeBytes(size)
        .setStoredBytes(storedBytes)
        .setNewChunks(fresh)
        .setDedupedChunks(chunks - fresh)
        .setNewBytes(newBytes)
        .setCompressionRatio(storedBytes > 0 ? (double) newBytes / storedBytes : 1.0)
        .setManifestChecksum(checksum)
        .setLocations(locations.stream().map(LocationStatus::getLocation).toList())
        .setLocationStatus(locations)
        .setComponents(summaries)
        .build();
  }

  /**
   * Bit rot: chunks that earlier backups rely on no longer authenticate. Those backups cannot be
   * restored in full until a backup stores the chunks again.
   */
  private static Alert rotAlert(BackupDumped d, String location, List<String> rotted) {
    return Alert.newBuilder()
        .setEnvelope(Envelopes.next(d.getBackupId()))
        .setSeverity(Severity.CRITICAL)
        .setKind("storage.chunk-damaged")
        .setSubject(location)
        .setMessage(
            rotted.size()
                + " stored chunk(s) in "
                + location
                + " failed authentication (bit rot or tampering), found by backup "
                + d.getBackupId()
                + ": "
                + String.join(", ", rotted.subList(0, Math.min(5, rotted.size())))
                + ". Earlier backups that use them cannot be restored in full until the next"
                + " backup of the same data stores them again; run one now.")
        .setLabels(d.getLabels())
        .build();
  }

  private static Alert walGap(BackupDumped d, String missing) {
    String source = d.getLabels().getOrDefault("wal.source", "");
    return Alert.newBuilder()
        .setEnvelope(Envelopes.next(d.getBackupId()))
        .setSeverity(Severity.CRITICAL)
        .setKind("wal.gap")
        .setSubject(source)
        .setMessage(
            "WAL gap in the archive of "
                + source
                + ": segment "
                + missing
                + " is missing while "
                + d.getLabels().get("wal.file")
                + " is archived. Point-in-time restores of "
                + source
                + " cannot pass the gap (lifeboat wal status "
                + source
                + " shows the window). Find out why the archive_command skipped it, and take a"
                + " new base backup (pgbase://...?walSource="
                + source
                + ") so that later points are recoverable again.")
        .setLabels(d.getLabels())
        .build();
  }

  private static Alert alert(
      BackupDumped d, Severity severity, String kind, @Nullable String message) {
    return Alert.newBuilder()
        .setEnvelope(Envelopes.next(d.getBackupId()))
        .setSeverity(severity)
        .setKind(kind)
        .setSubject(d.getBackupId())
        .setMessage("backup " + d.getBackupId() + " (" + d.getName() + "): " + message)
        .setLabels(d.getLabels())
        .build();
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Override
  public void close() {
    pools.forEach(ExecutorService::shutdownNow);
  }
}
