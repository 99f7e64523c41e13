package io.lifeboat.stage.verify;

import io.lifeboat.core.prune.BackupDeletion;
import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.core.verify.Verifier;
import io.lifeboat.core.verify.VerifyReport;
import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupDeleted;
import io.lifeboat.events.BackupVerified;
import io.lifeboat.events.BackupVerifyRequested;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.Severity;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a stored backup again on request, without Kafka: reads its manifest and every chunk it
 * names back from the primary storage and authenticates them (what {@code lifeboat verify} does on
 * the user's machine, here inside the one service that holds the repository key for it). A damaged
 * backup is an alert as well as a failed answer.
 *
 * <p>A backup whose manifest is gone and whose {@code deletions/<id>} record is there was deleted
 * (by a storage command: {@code lifeboat delete --break-glass}, {@code forget}): that is a {@link
 * BackupDeleted} for the catalog, with the record's reason, and no alert. Only this stage announces
 * deletions, and only of what is really gone from the storage (decision 0032).
 */
public final class Reverifier {

  /**
   * The answer, and an alert when the backup is damaged or could not be read.
   *
   * @param verified the answer event
   * @param alert set when the backup is not whole
   * @param deleted set when the backup was deleted from the storage (manifest gone, deletion
   *     recorded): the catalog shows it DELETED
   */
  public record Outcome(
      BackupVerified verified, @Nullable Alert alert, @Nullable BackupDeleted deleted) {

    public Outcome(BackupVerified verified, @Nullable Alert alert) {
      this(verified, alert, null);
    }
  }

  private final Supplier<Repository> repository;
  private final int parallelism;

  public Reverifier(Supplier<Repository> repository, int parallelism) {
    this.repository = repository;
    this.parallelism = parallelism;
  }

  public Outcome verify(BackupVerifyRequested request) {
    String id = request.getBackupId();
    BackupVerified.Builder answer =
        BackupVerified.newBuilder()
            .setEnvelope(Envelopes.next(id))
            .setVerificationId(request.getVerificationId())
            .setBackupId(id);
    long start = System.nanoTime();
    Manifest manifest;
    try {
      Repository repo = repository.get();
      if (!repo.hasManifest(id)) {
        java.util.Optional<String> record = BackupDeletion.deleted(repo.backend(), id);
        if (record.isPresent()) {
          String reason = reasonOf(record.get());
          return new Outcome(
              answer
                  .setOk(false)
                  .setProblems(List.of("backup " + id + " was deleted: " + reason))
                  .setDurationMs(Math.max(1, (System.nanoTime() - start) / 1_000_000))
                  .build(),
              null,
              BackupDeleted.newBuilder()
                  .setEnvelope(Envelopes.next(id))
                  .setBackupId(id)
                  .setReason(reason)
                  .build());
        }
        return new Outcome(
            answer
                .setOk(false)
                .setProblems(
                    List.of("no backup " + id + " in the repository (deleted, or never stored)"))
                .build(),
            null);
      }
      manifest = repo.readManifest(id);
      try (Verifier verifier = new Verifier(repo, parallelism)) {
        VerifyReport report = verifier.verify(manifest);
        answer
            .setOk(report.ok())
            .setChunksChecked(report.chunksChecked())
            .setBytesChecked(report.bytesChecked())
            .setDurationMs(report.duration().toMillis())
            .setDamagedChunks(report.damaged().stream().map(VerifyReport.Damage::chunkId).toList())
            .setProblems(
                java.util.stream.Stream.concat(
                        report.damaged().stream()
                            .map(
                                d ->
                                    "chunk "
                                        + d.chunkId()
                                        + " of component "
                                        + d.component()
                                        + ": "
                                        + d.reason()),
                        report.problems().stream())
                    .toList());
      }
    } catch (DamagedObjectException e) {
      answer.setOk(false).setProblems(List.of("the manifest is damaged: " + e.getMessage()));
    } catch (StorageException e) {
      answer.setOk(false).setProblems(List.of("cannot read the storage: " + e.getMessage()));
    }
    if (answer.getDurationMs() == 0) {
      answer.setDurationMs((System.nanoTime() - start) / 1_000_000);
    }
    BackupVerified verified = answer.build();
    Alert alert = null;
    if (!verified.getOk()) {
      alert =
          Alert.newBuilder()
              .setEnvelope(Envelopes.next(id))
              .setSeverity(Severity.CRITICAL)
              .setKind("backup.corrupted")
              .setSubject(id)
              .setMessage(
                  "backup "
                      + id
                      + " failed verification: "
                      + String.join("; ", verified.getProblems().stream().limit(5).toList())
                      + (verified.getProblems().size() > 5
                          ? " (and " + (verified.getProblems().size() - 5) + " more)"
                          : ""))
              .setLabels(Map.of("verificationId", verified.getVerificationId()))
              .build();
    }
    return new Outcome(verified, alert);
  }

  /**
   * The reason of a {@code deletions/<id>} record ({@code <instant> <reason>}, as {@link
   * BackupDeletion#delete} writes it).
   */
  static String reasonOf(String record) {
    int space = record.indexOf(' ');
    if (space > 0) {
      try {
        java.time.Instant.parse(record.substring(0, space));
        String reason = record.substring(space + 1).strip();
        return reason.isEmpty() ? "deleted" : reason;
      } catch (java.time.format.DateTimeParseException e) {
        // not a time first: the record is the reason
      }
    }
    return record.isBlank() ? "deleted" : record.strip();
  }
}
