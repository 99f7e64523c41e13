package io.lifeboat.stage.dump;

import io.lifeboat.core.crypto.AuthenticationException;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.crypto.TransportSeal;
import io.lifeboat.core.dump.ComponentDumper;
import io.lifeboat.core.dump.DumpedStream;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.provider.SpecCredentials;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.events.BackupDumped;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.ChunkRaw;
import io.lifeboat.events.ComponentDumped;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.ComponentStatus;
import io.lifeboat.events.ComponentSummary;
import io.lifeboat.events.DumpedComponent;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The dump stage's logic, without Kafka: validates a backup request (every problem becomes a reason
 * in the rejection), then reads each component through its provider and the chunker, hands new
 * chunks to the sink, and describes the result for the verify stage.
 */
public final class DumpStage {

  private static final Pattern COMPONENT_NAME =
      Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9._\\-]{0,63}");

  /** Where the stage's output goes: the listener sends it to Kafka, tests collect it. */
  public interface Sink {
    /** A new chunk. Sending may be asynchronous; {@link #flush()} waits for all of them. */
    void chunk(ChunkRaw chunk) throws IOException;

    /** A component finished (progress). */
    void componentDone(ComponentDumped event) throws IOException;

    /** Returns when every chunk handed over is durably sent, or throws. */
    void flush() throws IOException;
  }

  /** Result of handling a request. */
  public sealed interface Outcome permits Rejected, Dumped {}

  /**
   * @param event why the request was refused
   */
  public record Rejected(BackupRejected event) implements Outcome {}

  /**
   * @param event what was dumped, for the verify stage
   */
  public record Dumped(BackupDumped event) implements Outcome {}

  /** Opens a credential the client sealed into the request (see CredentialSeal). */
  @FunctionalInterface
  public interface CredentialOpener {
    /**
     * @param spec the source spec the password belongs to (without it)
     */
    String open(String backupId, String component, String spec, byte[] sealed)
        throws AuthenticationException;
  }

  private final Supplier<Repository> repository;
  private final ProviderRegistry providers;
  private final List<String> configuredLocations;
  private final CredentialOpener credentials;
  private final SourcePolicy policy;
  private final Supplier<TransportSeal> transport;

  /** Why a backup was cancelled, if it was (fed from the cancellations topic). */
  private java.util.function.Function<String, java.util.Optional<String>> cancelled =
      id -> java.util.Optional.empty();

  /** The thread dumping each backup now: a cancellation interrupts it. */
  private final java.util.Map<String, Thread> dumping =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Thrown inside a dump to stop it: the backup was cancelled. */
  static final class CancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CancelledException(String why) {
      super("cancelled: " + why);
    }
  }

  /** Where cancellations come from. */
  public void cancellations(
      java.util.function.Function<String, java.util.Optional<String>> source) {
    this.cancelled = source;
  }

  /** The backup was cancelled: stop its dump now (its thread is interrupted). */
  public void cancel(String backupId) {
    Thread t = dumping.get(backupId);
    if (t != null) {
      t.interrupt();
    }
  }

  private void checkCancelled(String backupId) {
    java.util.Optional<String> why = cancelled.apply(backupId);
    if (why.isPresent()) {
      throw new CancelledException(why.get());
    }
  }

  /**
   * @param configuredLocations the primary location and the replicas the stages write to; a request
   *     may name locations only among these (the stages hold their credentials)
   * @param policy what requests may read
   * @param transport encrypts new chunks for their trip to the compress-encrypt stage
   */
  public DumpStage(
      Supplier<Repository> repository,
      ProviderRegistry providers,
      List<String> configuredLocations,
      CredentialOpener credentials,
      SourcePolicy policy,
      Supplier<TransportSeal> transport) {
    this.repository = repository;
    this.providers = providers;
    this.configuredLocations = List.copyOf(configuredLocations);
    this.credentials = credentials;
    this.policy = policy;
    this.transport = transport;
  }

  /**
   * What the request's passwords are sealed for: its backup id, or for a scheduled backup (its id
   * and label both name the schedule) the schedule, which sealed them once for all its backups.
   */
  static String credentialBinding(BackupRequested r) {
    String schedule = r.getLabels().get(io.lifeboat.core.schedule.ScheduledBackups.SCHEDULE_LABEL);
    if (schedule != null
        && io.lifeboat.core.schedule.ScheduledBackups.scheduleOf(r.getBackupId())
            .filter(schedule::equals)
            .isPresent()) {
      return io.lifeboat.core.schedule.ScheduledBackups.credentialBinding(schedule);
    }
    return r.getBackupId();
  }

  /** The spec to dump: as requested, with its sealed password (if any) put back in. Memory only. */
  private String effectiveSpec(BackupRequested r, ComponentSpec c) throws InvalidSourceException {
    java.nio.ByteBuffer sealed = r.getSealedCredentials().get(c.getName());
    if (sealed == null) {
      return c.getSource();
    }
    byte[] bytes = new byte[sealed.remaining()];
    sealed.duplicate().get(bytes);
    try {
      return SpecCredentials.inject(
          c.getSource(), credentials.open(credentialBinding(r), c.getName(), c.getSource(), bytes));
    } catch (AuthenticationException | RuntimeException e) {
      throw new InvalidSourceException(
          "its sealed credentials do not open with this stage's master key for this source"
              + " (sealed with another key, or for another host, user or database?)");
    }
  }

  public Outcome handle(BackupRequested request, Sink sink) throws IOException {
    List<String> reasons = validate(request);
    if (!reasons.isEmpty()) {
      return rejected(request, reasons);
    }
    Instant startedAt = Instant.now();
    Repository repo = repository.get();
    // held until verify commits or fails the backup: no prune runs while this backup may
    // deduplicate against chunks that only deleted backups still use
    io.lifeboat.core.prune.RepositoryLocks locks =
        new io.lifeboat.core.prune.RepositoryLocks(repo.backend());
    try {
      locks.lockBackupWhenNoPrune(request.getBackupId(), java.time.Duration.ofHours(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a prune to finish", e);
    } catch (io.lifeboat.core.storage.StorageException e) {
      if (!e.isPermanent()) {
        throw e; // retried by the container
      }
      // full, or refused for good: answer now, or the requester waits for nothing
      return rejected(
          request,
          List.of(
              "not started: the storage refused the backup's lock: "
                  + Redact.spec(String.valueOf(e.getMessage()))));
    }
    dumping.put(request.getBackupId(), Thread.currentThread());
    try {
      return dumpAll(request, repo, startedAt, sink);
    } catch (IOException | RuntimeException e) {
      locks.unlockBackup(request.getBackupId()); // taken again when the request is retried
      throw e;
    } finally {
      dumping.remove(request.getBackupId());
      Thread.interrupted(); // a cancellation's interrupt ends with its backup
    }
  }

  /**
   * The answer to a request the stage gave up on (its attempts failed; it is on the requests'
   * dead-letter topic): without it the requester would wait for nothing.
   *
   * @param cause why the last attempt failed
   */
  /** A request this stage may not act on (roles mode: not from a role that may back up). */
  public static Rejected refused(BackupRequested request, String reason) {
    return rejected(request, List.of(reason));
  }

  public static Rejected givenUp(BackupRequested request, String cause) {
    return rejected(
        request,
        List.of(
            "not started: "
                + Redact.spec(cause)
                + " (the request is on "
                + Topics.BACKUP_REQUESTS.name()
                + io.lifeboat.events.TopicSpec.DEAD_LETTER_SUFFIX
                + "; `lifeboat dead-letters replay "
                + Topics.BACKUP_REQUESTS.name()
                + "` sends it again once the cause is fixed)"));
  }

  private static Rejected rejected(BackupRequested request, List<String> reasons) {
    return new Rejected(
        BackupRejected.newBuilder()
            .setEnvelope(Envelopes.next(request.getBackupId()))
            .setBackupId(request.getBackupId())
            .setName(request.getName() == null ? "" : request.getName())
            .setReasons(reasons)
            .build());
  }

  private Outcome dumpAll(BackupRequested request, Repository repo, Instant startedAt, Sink sink)
      throws IOException {
    ComponentDumper dumper = new ComponentDumper(repo);
    Set<ChunkId> known = repo.listChunks();
    List<DumpedComponent> components = new ArrayList<>();
    for (ComponentSpec spec : request.getComponents()) {
      if (cancelled.apply(request.getBackupId()).isPresent()) {
        break; // verify ends it CANCELLED and commits nothing
      }
      DumpedComponent dumped = dumpOne(request, spec, dumper, known, sink);
      components.add(dumped);
      sink.componentDone(
          ComponentDumped.newBuilder()
              .setEnvelope(Envelopes.next(request.getBackupId()))
              .setBackupId(request.getBackupId())
              .setComponent(dumped.getSummary())
              .build());
    }
    Thread.interrupted(); // a cancellation's interrupt must not fail the flush
    sink.flush();
    return new Dumped(
        BackupDumped.newBuilder()
            .setEnvelope(Envelopes.next(request.getBackupId()))
            .setBackupId(request.getBackupId())
            .setName(request.getName())
            .setType(request.getType())
            .setLabels(request.getLabels())
            .setRequestedAt(request.getEnvelope().getTime())
            .setStartedAt(startedAt)
            .setLocations(List.of(repo.backend().location()))
            .setComponents(components)
            .build());
  }

  /** Every reason the request cannot be carried out; empty when it can. */
  public List<String> validate(BackupRequested r) {
    List<String> reasons = new ArrayList<>();
    if (!RepositoryLayout.isValidBackupId(r.getBackupId())) {
      reasons.add(
          "invalid backupId '"
              + r.getBackupId()
              + "': letters, digits, '.', '_', '-', at most 128");
    }
    if (r.getName() == null || r.getName().isBlank()) {
      reasons.add("name is missing");
    } else if (r.getName().length() > 200) {
      reasons.add("name is longer than 200 characters");
    }
    if (r.getComponents().isEmpty()) {
      reasons.add("no components to back up");
    }
    if (r.getCompressionLevel() < 0 || r.getCompressionLevel() > 19) {
      reasons.add("compressionLevel must be 0 (none) to 19, got " + r.getCompressionLevel());
    }
    for (String location : r.getLocations()) {
      if (configuredLocations.stream().noneMatch(c -> sameLocation(c, location))) {
        reasons.add(
            "storage location "
                + Redact.spec(location)
                + " is not one the stages write to ("
                + String.join(", ", configuredLocations.stream().map(Redact::spec).toList())
                + "); locations are configured on the stages, which hold their credentials");
      }
    }
    try {
      // a GET rather than a HEAD: only a GET's answer tells a missing bucket from a missing object
      Repository repo = repository.get();
      Repository.readConfig(repo.backend());
    } catch (io.lifeboat.core.repo.RepositoryNotFoundException e) {
      reasons.add("repository is not usable: " + Redact.spec(e.getMessage()));
    } catch (io.lifeboat.core.storage.StorageException e) {
      reasons.add("storage is not usable: " + Redact.spec(e.getMessage()));
    } catch (IllegalStateException e) {
      reasons.add("repository is not usable: " + Redact.spec(e.getMessage()));
    }
    Set<String> names = new HashSet<>();
    for (ComponentSpec c : r.getComponents()) {
      String name = c.getName();
      if (!COMPONENT_NAME.matcher(name).matches()) {
        reasons.add(
            "invalid component name '" + name + "': letters, digits, '.', '_', '-', at most 64");
      } else if (!names.add(name)) {
        reasons.add("component name '" + name + "' is used twice");
      }
      if (SpecCredentials.hasPassword(c.getSource())) {
        reasons.add(
            "component "
                + name
                + ": the request carries a password in clear text ("
                + Redact.spec(c.getSource())
                + "); use a password file (?passwordFile=), the dump stage's environment (PGPASSWORD, MYSQL_PWD,"
                + " REDISCLI_AUTH), or let the client seal it (lifeboat backup with the key file)");
        continue;
      }
      try {
        // the policy first: parsing a spec may read files (a passwordFile) the policy forbids
        List<String> refused = policy.problems(c.getSource(), providers.forSpec(c.getSource()));
        if (!refused.isEmpty()) {
          refused.forEach(
              problem ->
                  reasons.add(
                      "component " + name + " (" + Redact.spec(c.getSource()) + "): " + problem));
          continue;
        }
        ComponentSource source = providers.parse(effectiveSpec(r, c));
        for (String problem : providers.byKind(source.kind()).check(source)) {
          reasons.add("component " + name + " (" + source.display() + "): " + problem);
        }
      } catch (InvalidSourceException e) {
        reasons.add("component " + name + ": " + e.getMessage());
      }
    }
    return reasons;
  }

  private static boolean sameLocation(String a, String b) {
    try {
      return io.lifeboat.core.storage.BackendRegistry.toUri(a)
          .normalize()
          .equals(io.lifeboat.core.storage.BackendRegistry.toUri(b).normalize());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private DumpedComponent dumpOne(
      BackupRequested request,
      ComponentSpec spec,
      ComponentDumper dumper,
      Set<ChunkId> known,
      Sink sink) {
    long start = System.nanoTime();
    ComponentSummary.Builder summary =
        ComponentSummary.newBuilder()
            .setName(spec.getName())
            .setSource(Redact.spec(spec.getSource()));
    try {
      ComponentSource source = providers.parse(effectiveSpec(request, spec));
      ComponentProvider provider = providers.byKind(source.kind());
      summary.setKind(source.kind()).setSource(source.display());
      DumpedStream d =
          dumper.dump(
              provider,
              source,
              known,
              (id, data, off, len) -> {
                checkCancelled(request.getBackupId());
                sink.chunk(
                    ChunkRaw.newBuilder()
                        .setEnvelope(Envelopes.next(request.getBackupId()))
                        .setBackupId(request.getBackupId())
                        .setComponent(spec.getName())
                        .setChunkId(id.hex())
                        // encrypted for the trip: no broker ever holds backup plaintext
                        .setPayload(
                            ByteBuffer.wrap(
                                transport
                                    .get()
                                    .seal(request.getBackupId(), id.hex(), data, off, len)))
                        .setCompressionLevel(request.getCompressionLevel())
                        .build());
              });
      summary
          .setStatus(d.result().warnings().isEmpty() ? ComponentStatus.OK : ComponentStatus.PARTIAL)
          .setWarnings(d.result().warnings())
          .setSizeBytes(d.sizeBytes())
          .setChunkCount(d.chunkIds().size())
          .setNewChunkCount(d.newChunkCount())
          .setNewBytes(d.newBytes())
          .setDurationMs(d.duration().toMillis())
          .setStreamSha256(d.sha256())
          .setMetadata(d.result().metadata());
      byte[] ids = new byte[d.chunkIds().size() * ChunkId.BYTES];
      for (int i = 0; i < d.chunkIds().size(); i++) {
        d.chunkIds().get(i).copyTo(ids, i * ChunkId.BYTES);
      }
      return DumpedComponent.newBuilder()
          .setSummary(summary.build())
          .setChunkIds(ByteBuffer.wrap(ids))
          .setChunkSizes(d.chunkSizes())
          .setNewChunkMask(ByteBuffer.wrap(d.newChunks().toByteArray()))
          .build();
    } catch (IOException | InvalidSourceException | RuntimeException e) {
      summary
          .setKind(summary.hasKind() ? summary.getKind() : "unknown")
          .setStatus(ComponentStatus.FAILED)
          .setError("dump failed: " + describe(e))
          .setDurationMs((System.nanoTime() - start) / 1_000_000);
      return DumpedComponent.newBuilder()
          .setSummary(summary.build())
          .setChunkIds(ByteBuffer.allocate(0))
          .setChunkSizes(List.of())
          .setNewChunkMask(ByteBuffer.allocate(0))
          .build();
    }
  }

  private static String describe(Exception e) {
    String m = Redact.spec(e.getMessage());
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
