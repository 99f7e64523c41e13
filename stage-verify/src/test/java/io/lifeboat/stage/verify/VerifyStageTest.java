package io.lifeboat.stage.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.repo.RepositoryLayout;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupDumped;
import io.lifeboat.events.BackupStatus;
import io.lifeboat.events.BackupType;
import io.lifeboat.events.ComponentStatus;
import io.lifeboat.events.ComponentSummary;
import io.lifeboat.events.DumpedComponent;
import io.lifeboat.events.Envelopes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VerifyStageTest {

  final MemBackend backend = new MemBackend(UUID.randomUUID().toString());
  final Repository repo =
      Repository.init(backend, MasterKey.generate(), ChunkerParams.defaults(2L));
  final VerifyStage stage = new VerifyStage(() -> repo, Duration.ofMillis(300), 2);
  final List<ChunkId> stored = new ArrayList<>();

  @AfterEach
  void close() {
    stage.close();
  }

  /** Stores n random chunks (as the seal and upload stages would) and describes them. */
  DumpedComponent component(String name, int n, boolean upload) {
    Random random = new Random(name.hashCode());
    byte[] ids = new byte[n * 32];
    List<Integer> sizes = new ArrayList<>();
    BitSet fresh = new BitSet();
    for (int i = 0; i < n; i++) {
      byte[] plain = new byte[1000 + i];
      random.nextBytes(plain);
      ChunkId id = repo.chunkId(plain, 0, plain.length);
      if (upload) {
        repo.storeChunk(id, repo.sealChunk(id, plain, 0, plain.length, 1));
        stored.add(id);
      }
      id.copyTo(ids, i * 32);
      sizes.add(plain.length);
      fresh.set(i);
    }
    return DumpedComponent.newBuilder()
        .setSummary(
            ComponentSummary.newBuilder()
                .setName(name)
                .setKind("files")
                .setSource("files:/" + name)
                .setStatus(ComponentStatus.OK)
                .setSizeBytes(sizes.stream().mapToLong(Integer::longValue).sum())
                .setChunkCount(n)
                .setNewChunkCount(n)
                .setNewBytes(sizes.stream().mapToLong(Integer::longValue).sum())
                .setStreamSha256("")
                .build())
        .setChunkIds(ByteBuffer.wrap(ids))
        .setChunkSizes(sizes)
        .setNewChunkMask(ByteBuffer.wrap(fresh.toByteArray()))
        .build();
  }

  /** The same component as a later backup of the same data describes it: every chunk reused. */
  static DumpedComponent reused(DumpedComponent c) {
    return DumpedComponent.newBuilder(c)
        .setSummary(ComponentSummary.newBuilder(c.getSummary()).setNewChunkCount(0).build())
        .setNewChunkMask(ByteBuffer.allocate(0))
        .build();
  }

  static BackupDumped dumped(String id, List<DumpedComponent> components) {
    return BackupDumped.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setBackupId(id)
        .setName("nightly")
        .setType(BackupType.FULL)
        .setLabels(Map.of("env", "test"))
        .setRequestedAt(Instant.now().minusSeconds(5))
        .setStartedAt(Instant.now().minusSeconds(4))
        .setComponents(components)
        .build();
  }

  @Test
  void allChunksStored_commitsTheManifest_andReportsSuccess() throws Exception {
    VerifyStage.Result r = stage.verifyAndCommit(dumped("b-1", List.of(component("a", 5, true))));

    BackupCompleted c = r.completed();
    assertThat(c.getStatus()).isEqualTo(BackupStatus.SUCCESS);
    assertThat(c.getNewChunks()).isEqualTo(5);
    assertThat(c.getStoredBytes()).isPositive();
    assertThat(c.getManifestChecksum())
        .isEqualTo(Repository.sha256(backend.get(RepositoryLayout.manifest("b-1"))));
    assertThat(repo.readManifest("b-1").components().get(0).chunks()).hasSize(5);
    assertThat(r.alerts()).isEmpty();
  }

  @Test
  void chunkNeverStored_failsWithoutManifest_andAlerts() {
    VerifyStage.Result r =
        stage.verifyAndCommit(dumped("b-2", List.of(component("missing", 3, false))));

    assertThat(r.completed().getStatus()).isEqualTo(BackupStatus.FAILED);
    assertThat(r.completed().getReason()).contains("3 chunk(s) never reached storage");
    assertThat(repo.hasManifest("b-2")).isFalse();
    assertThat(r.alerts())
        .singleElement()
        .satisfies(a -> assertThat(a.getKind()).isEqualTo("backup.failed"));
  }

  @Test
  void chunksTheUploadCouldNotStore_failTheBackupAtOnce_withTheUploadsReason() {
    WriteFailures failures = new WriteFailures();
    failures.accept(
        io.lifeboat.events.Alert.newBuilder()
            .setEnvelope(Envelopes.next("b-9"))
            .setSeverity(io.lifeboat.events.Severity.CRITICAL)
            .setKind(WriteFailures.KIND)
            .setSubject("b-9")
            .setMessage("cannot store chunk 00ff: bucket lost does not exist")
            .setLabels(Map.of())
            .build());
    try (VerifyStage patient =
        new VerifyStage(
            () -> repo, Map.of(), Duration.ofHours(1), 2, failures, Duration.ofDays(7))) {
      long start = System.nanoTime();

      VerifyStage.Result r =
          patient.verifyAndCommit(dumped("b-9", List.of(component("lost", 3, false))));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
      assertThat(r.completed().getStatus()).isEqualTo(BackupStatus.FAILED);
      assertThat(r.completed().getReason())
          .contains("upload failed: cannot store chunk 00ff: bucket lost does not exist");
      assertThat(repo.hasManifest("b-9")).isFalse();
    }
  }

  @Test
  void damagedNewChunk_failsAsCorrupted() {
    DumpedComponent c = component("damaged", 4, true);
    String name = RepositoryLayout.chunk(stored.get(1));
    byte[] bytes = backend.get(name);
    bytes[bytes.length - 5] ^= 1;
    backend.tamper(name, bytes);

    VerifyStage.Result r = stage.verifyAndCommit(dumped("b-3", List.of(c)));

    assertThat(r.completed().getStatus()).isEqualTo(BackupStatus.FAILED);
    assertThat(r.completed().getReason())
        .contains("failed verification")
        .contains(stored.get(1).hex());
    assertThat(r.alerts())
        .singleElement()
        .satisfies(a -> assertThat(a.getKind()).isEqualTo("backup.corrupted"));
    assertThat(repo.hasManifest("b-3")).isFalse();
  }

  @Test
  void rottedReusedChunk_failsTheBackup_isQuarantined_andAlertedByName() {
    VerifyStage everyReuse =
        new VerifyStage(
            () -> repo, Map.of(), Duration.ofMillis(300), 2, new WriteFailures(), Duration.ZERO);
    DumpedComponent first = component("rot", 3, true);
    assertThat(
            everyReuse.verifyAndCommit(dumped("b-rot-1", List.of(first))).completed().getStatus())
        .isEqualTo(BackupStatus.SUCCESS);
    String name = RepositoryLayout.chunk(stored.get(2));
    byte[] bytes = backend.get(name);
    bytes[bytes.length / 2] ^= 1;
    backend.tamper(name, bytes);

    // the same data again: every chunk is reused
    VerifyStage.Result r = everyReuse.verifyAndCommit(dumped("b-rot-2", List.of(reused(first))));
    everyReuse.close();

    assertThat(r.completed().getStatus()).isEqualTo(BackupStatus.FAILED);
    assertThat(r.completed().getReason())
        .contains("damaged in storage")
        .contains(stored.get(2).hex())
        .contains("next backup");
    assertThat(r.alerts())
        .extracting(a -> a.getKind())
        .containsExactly("storage.chunk-damaged", "backup.corrupted");
    assertThat(r.alerts().get(0).getMessage()).contains(stored.get(2).hex());
    assertThat(repo.hasManifest("b-rot-2")).isFalse();
    assertThat(backend.exists(name)).as("moved out of the way").isFalse();
    List<String> quarantined = new java.util.ArrayList<>();
    backend.list(RepositoryLayout.QUARANTINE, o -> quarantined.add(o.name()));
    assertThat(quarantined).singleElement().asString().contains(stored.get(2).hex());
  }

  @Test
  void reusedChunkVerifiedWithinTheWindow_isReadAgainOnlyIfItsObjectChanged() {
    try (VerifyStage trusting =
        new VerifyStage(
            () -> repo,
            Map.of(),
            Duration.ofMillis(300),
            2,
            new WriteFailures(),
            Duration.ofDays(7))) {
      DumpedComponent w = component("w", 2, true);
      assertThat(trusting.verifyAndCommit(dumped("b-win-1", List.of(w))).completed().getStatus())
          .isEqualTo(BackupStatus.SUCCESS);
      assertThat(
              trusting
                  .verifyAndCommit(dumped("b-win-2", List.of(reused(w))))
                  .completed()
                  .getStatus())
          .isEqualTo(BackupStatus.SUCCESS);

      String name = RepositoryLayout.chunk(stored.get(0));
      byte[] bytes = backend.get(name);
      bytes[bytes.length / 2] ^= 1;
      backend.tamper(name, bytes); // rewritten: the object's version changes

      VerifyStage.Result r = trusting.verifyAndCommit(dumped("b-win-3", List.of(reused(w))));
      assertThat(r.completed().getStatus()).isEqualTo(BackupStatus.FAILED);
      assertThat(r.completed().getReason()).contains(stored.get(0).hex());
    }
  }

  @Test
  void oneFailedComponent_isPartial_withTheReason() throws Exception {
    DumpedComponent failed =
        DumpedComponent.newBuilder()
            .setSummary(
                ComponentSummary.newBuilder()
                    .setName("db")
                    .setKind("postgres")
                    .setSource("postgres://x")
                    .setStatus(ComponentStatus.FAILED)
                    .setError("dump failed: connection refused")
                    .build())
            .setChunkIds(ByteBuffer.allocate(0))
            .setChunkSizes(List.of())
            .setNewChunkMask(ByteBuffer.allocate(0))
            .build();

    VerifyStage.Result r =
        stage.verifyAndCommit(dumped("b-4", List.of(component("ok", 2, true), failed)));

    assertThat(r.completed().getStatus()).isEqualTo(BackupStatus.PARTIAL);
    assertThat(r.completed().getReason()).contains("db: dump failed: connection refused");
    assertThat(repo.readManifest("b-4").components())
        .extracting(m -> m.name())
        .containsExactly("ok");
    assertThat(r.alerts())
        .singleElement()
        .satisfies(a -> assertThat(a.getKind()).isEqualTo("backup.partial"));
  }

  @Test
  void sameBackupTwice_republishesFromTheStoredManifest() {
    BackupDumped d = dumped("b-5", List.of(component("x", 2, true)));
    BackupCompleted first = stage.verifyAndCommit(d).completed();
    BackupCompleted second = stage.verifyAndCommit(d).completed();
    assertThat(second.getStatus()).isEqualTo(BackupStatus.SUCCESS);
    assertThat(second.getManifestChecksum()).isEqualTo(first.getManifestChecksum());
  }

  @Test
  void replicas_completeOnesGetTheManifest_laggingOnesAreReportedAndAlerted() {
    MemBackend complete = new MemBackend("complete-" + UUID.randomUUID());
    MemBackend lagging = new MemBackend("lagging-" + UUID.randomUUID());
    DumpedComponent c = component("r", 3, true);
    for (ChunkId id : stored) {
      complete.putIfAbsent(RepositoryLayout.chunk(id), backend.get(RepositoryLayout.chunk(id)));
    }
    lagging.putIfAbsent(
        RepositoryLayout.chunk(stored.get(0)), backend.get(RepositoryLayout.chunk(stored.get(0))));
    VerifyStage withReplicas =
        new VerifyStage(
            () -> repo,
            new java.util.LinkedHashMap<>(Map.of("a", complete, "b", lagging)),
            Duration.ofMillis(300),
            2,
            new WriteFailures(),
            Duration.ofDays(7));

    VerifyStage.Result r = withReplicas.verifyAndCommit(dumped("b-6", List.of(c)));
    withReplicas.close();

    var status = r.completed().getLocationStatus();
    assertThat(status).hasSize(3);
    assertThat(status.get(0).getPrimary()).isTrue();
    assertThat(status.get(0).getComplete()).isTrue();
    var byLocation = new java.util.HashMap<String, io.lifeboat.events.LocationStatus>();
    status.forEach(s -> byLocation.put(s.getLocation(), s));
    assertThat(byLocation.get(complete.location()).getComplete()).isTrue();
    assertThat(byLocation.get(lagging.location()).getComplete()).isFalse();
    assertThat(byLocation.get(lagging.location()).getMissingChunks()).isEqualTo(2);
    assertThat(complete.exists(RepositoryLayout.manifest("b-6"))).isTrue();
    assertThat(lagging.exists(RepositoryLayout.manifest("b-6"))).isFalse();
    assertThat(r.alerts()).extracting(a -> a.getKind()).containsExactly("replica.behind");
  }

  @Test
  void aStoredBackup_isVerifiedAgainOnRequest_andADamagedChunkIsFoundAndAlerted() {
    DumpedComponent c = component("files", 4, true);
    assertThat(stage.verifyAndCommit(dumped("b-re", List.of(c))).completed().getStatus())
        .isEqualTo(BackupStatus.SUCCESS);
    Reverifier reverifier = new Reverifier(() -> repo, 2);

    Reverifier.Outcome ok = reverifier.verify(verifyRequest("b-re", "v-1"));
    assertThat(ok.verified().getOk()).isTrue();
    assertThat(ok.verified().getVerificationId()).isEqualTo("v-1");
    assertThat(ok.verified().getChunksChecked()).isEqualTo(4);
    assertThat(ok.verified().getBytesChecked()).isEqualTo(c.getSummary().getSizeBytes());
    assertThat(ok.alert()).isNull();

    // one chunk altered in storage
    String key = io.lifeboat.core.repo.RepositoryLayout.chunk(stored.get(2));
    byte[] bytes = backend.get(key);
    bytes[bytes.length / 2] ^= 1;
    backend.delete(key);
    backend.putIfAbsent(key, bytes);
    Reverifier.Outcome damaged = reverifier.verify(verifyRequest("b-re", "v-2"));
    assertThat(damaged.verified().getOk()).isFalse();
    assertThat(damaged.verified().getDamagedChunks()).containsExactly(stored.get(2).hex());
    assertThat(damaged.alert()).isNotNull();
    assertThat(damaged.alert().getKind()).isEqualTo("backup.corrupted");
    assertThat(damaged.alert().getSeverity()).isEqualTo(io.lifeboat.events.Severity.CRITICAL);
    assertThat(damaged.alert().getMessage()).contains("b-re").contains(stored.get(2).hex());

    Reverifier.Outcome unknown = reverifier.verify(verifyRequest("b-none", "v-3"));
    assertThat(unknown.verified().getOk()).isFalse();
    assertThat(unknown.verified().getProblems())
        .singleElement()
        .asString()
        .contains("no backup b-none");
  }

  @Test
  void aStoredBackup_isDeletedOnRequest_once() {
    DumpedComponent c = component("files", 2, true);
    stage.verifyAndCommit(dumped("b-del", List.of(c)));
    assertThat(repo.hasManifest("b-del")).isTrue();
    BackupDeleter deleter = new BackupDeleter(() -> repo, Map.of());
    io.lifeboat.events.BackupDeleteRequested request =
        io.lifeboat.events.BackupDeleteRequested.newBuilder()
            .setEnvelope(Envelopes.next("b-del"))
            .setBackupId("b-del")
            .setReason("superseded")
            .setRequestedBy("api")
            .build();

    BackupDeleter.Outcome first = deleter.delete(request);
    assertThat(first.deleted()).isNotNull();
    assertThat(first.deleted().getReason()).isEqualTo("superseded (by api)");
    assertThat(repo.hasManifest("b-del")).isFalse();

    BackupDeleter.Outcome again = deleter.delete(request);
    assertThat(again.deleted()).isNull();
    assertThat(again.refused().getKind()).isEqualTo("backup.delete-failed");
    assertThat(again.refused().getMessage()).contains("nothing deleted");
  }

  /**
   * A storage command deleted the backup (manifest gone, deletion recorded): the verify stage says
   * so to the catalog, with the recorded reason, and raises no alert. A manifest gone without a
   * record is not a deletion: a failed verification, nothing announced. Whoever asks cannot make a
   * backup that is still stored show as deleted.
   */
  @Test
  void aVerifyRequest_announcesTheDeletion_onlyOfWhatIsGoneFromStorage_withItsRecordedReason() {
    Reverifier reverifier = new Reverifier(() -> repo, 2);
    stage.verifyAndCommit(dumped("b-gone", List.of(component("files", 2, true))));
    stage.verifyAndCommit(dumped("b-lost", List.of(component("files", 2, true))));
    stage.verifyAndCommit(dumped("b-kept", List.of(component("files", 2, true))));

    // still stored: verified, not deleted, whatever a deletion record says
    io.lifeboat.core.prune.BackupDeletion.delete(List.of(backend), "b-gone", "forget: keep-last 1");
    backend.putIfAbsent(
        io.lifeboat.core.prune.BackupDeletion.PREFIX + "b-kept",
        "2026-01-01T00:00:00Z forged".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Reverifier.Outcome kept = reverifier.verify(verifyRequest("b-kept", "v-k"));
    assertThat(kept.verified().getOk()).isTrue();
    assertThat(kept.deleted()).isNull();
    assertThat(kept.alert()).isNull();

    // deleted by a storage command: announced with the recorded reason, no alert
    Reverifier.Outcome gone = reverifier.verify(verifyRequest("b-gone", "v-g"));
    assertThat(gone.deleted()).isNotNull();
    assertThat(gone.deleted().getBackupId()).isEqualTo("b-gone");
    assertThat(gone.deleted().getReason()).isEqualTo("forget: keep-last 1");
    assertThat(gone.alert()).isNull();
    assertThat(gone.verified().getOk()).isFalse();
    assertThat(gone.verified().getVerificationId()).isEqualTo("v-g");
    assertThat(gone.verified().getProblems()).singleElement().asString().contains("was deleted");

    // the manifest gone without a record: a failed verification, not a deletion
    backend.delete(RepositoryLayout.manifest("b-lost"));
    Reverifier.Outcome lost = reverifier.verify(verifyRequest("b-lost", "v-l"));
    assertThat(lost.deleted()).isNull();
    assertThat(lost.verified().getOk()).isFalse();
    assertThat(lost.verified().getProblems()).singleElement().asString().contains("no backup");

    assertThat(Reverifier.reasonOf("2026-12-01T10:00:00.123Z deleted by hand"))
        .isEqualTo("deleted by hand");
    assertThat(Reverifier.reasonOf("no time here")).isEqualTo("no time here");
  }

  static io.lifeboat.events.BackupVerifyRequested verifyRequest(String backupId, String id) {
    return io.lifeboat.events.BackupVerifyRequested.newBuilder()
        .setEnvelope(Envelopes.next(backupId))
        .setVerificationId(id)
        .setBackupId(backupId)
        .build();
  }
}
