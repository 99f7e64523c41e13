package io.lifeboat.recovery.executor;

import io.lifeboat.core.policy.TargetPolicy;
import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.restore.RestoreException;
import io.lifeboat.core.restore.RestoreReport;
import io.lifeboat.core.restore.Restorer;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.RestoreOutcome;
import io.lifeboat.events.RestoreStepSpec;
import io.lifeboat.provider.postgres.PointInTimeRestore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Restore: streams one component from storage into its target, moving an occupied target aside
 * first; undoes its own work when it fails. A step redelivered after its executor died while
 * writing first undoes the interrupted attempt (the journal says where the original went).
 */
final class RestoreStep {

  private final ExecutorContext context;

  RestoreStep(ExecutorContext context) {
    this.context = context;
  }

  void run(
      RecoveryStepCommand command,
      RestoreStepSpec spec,
      RecoveryStepExecutor.ProgressSink progress,
      RecoveryStepResult.Builder r) {
    RestoreTarget target =
        new RestoreTarget(spec.getTarget(), Targets.occupied(spec.getIfExists()));
    RestoreTarget planned = target;
    Manifest manifest;
    try {
      manifest = context.repository().get().readManifest(spec.getBackupId());
    } catch (DamagedObjectException | StorageException e) {
      r.setMessage("cannot read backup " + spec.getBackupId() + ": " + Redact.spec(e.getMessage()));
      return;
    }
    String execution = command.getExecutionId();
    String step = command.getStep().getStepId();
    Optional<String> refused = refusal(execution, spec, manifest);
    if (refused.isPresent()) {
      r.setMessage(refused.get()).setProblems(List.of(refused.get())).setUndone(true);
      return;
    }
    StepJournal journal = context.journal();
    try {
      // the folder it is written in is made and checked first: the WAL spool of a point-in-time
      // restore goes there too
      try {
        Restorer.secureFolder(context.providers().byKind(manifestKind(manifest, spec)), target);
      } catch (io.lifeboat.core.provider.InvalidSourceException | IOException e) {
        String why = "nothing was written: " + Redact.spec(String.valueOf(e.getMessage()));
        r.setMessage(why).setProblems(List.of(why)).setUndone(true);
        return;
      }
      Optional<Manifest.Component> component =
          manifest.component(spec.getComponent()).filter(PointInTimeRestore::applies);
      java.time.Instant at =
          spec.getRecoveryTargetTime() == null
              ? null
              : java.time.Instant.parse(spec.getRecoveryTargetTime());
      if (component.isPresent()) {
        target = PointInTimeRestore.target(planned, at);
      }
      Optional<StepJournal.Entry> earlier = journal.read(execution, step);
      if (earlier.isPresent()
          && StepJournal.RESTORED.equals(earlier.get().state())
          && earlier.get().target().equals(planned.spec())) {
        // the step finished before this executor died, and only its result was lost: answer it
        // again
        StepJournal.Entry done = earlier.get();
        r.setSucceeded(true)
            .setOutcome(
                RestoreOutcome.newBuilder()
                    .setAside(done.aside() == null ? null : MovedAsides.toEvent(done.aside()))
                    .build())
            .setMessage(
                "already restored into "
                    + target.spec()
                    + " (before this executor restarted)"
                    + (done.aside() == null
                        ? ""
                        : "; the original is kept at " + done.aside().location()));
        return;
      }
      RestoreReport.Restored done;
      String restarted = "";
      try (Restorer restorer = context.restorer()) {
        if (earlier.isPresent() && StepJournal.WRITING.equals(earlier.get().state())) {
          try {
            restorer.undo(spec.getKind(), target, Optional.ofNullable(earlier.get().aside()));
          } catch (IOException e) {
            // the journal entry stays: the interrupted attempt's data and the original are where it
            // says
            r.setMessage(
                    Redact.spec(
                        "an interrupted earlier attempt could not be undone: "
                            + e.getMessage()
                            + Optional.ofNullable(earlier.get().aside())
                                .map(a -> " (the original is kept at " + a.location() + ")")
                                .orElse("")))
                .setUndone(false);
            return;
          }
          journal.forget(execution, step);
          restarted = " (an interrupted earlier attempt was undone first)";
        }
        if (component.isPresent()) {
          // fetch the WAL to replay beside the target; a base with nothing after it goes alone
          try {
            target =
                PointInTimeRestore.prepare(
                        context.repository().get(), manifest, component.get(), at, planned, 4)
                    .target();
          } catch (io.lifeboat.core.wal.WalReplayPlan.Refused e) {
            r.setMessage(Redact.spec(String.valueOf(e.getMessage())));
            return;
          }
        }
        boolean undoable = target.occupied() != RestoreTarget.Occupied.MERGE;
        RestoreTarget into = target;
        done =
            restorer.restoreComponent(
                manifest,
                spec.getComponent(),
                into,
                bytes -> progress.progress(command, bytes, spec.getSizeBytes()),
                aside -> {
                  if (undoable) {
                    journal.write(
                        execution,
                        step,
                        new StepJournal.Entry(
                            StepJournal.WRITING,
                            spec.getKind(),
                            planned.spec(),
                            aside.orElse(null),
                            spec.getScratch()));
                  }
                });
      } catch (RestoreException e) {
        if (e.undone()) {
          journal.forget(execution, step); // it undid its own work
        }
        throw e;
      }
      if (target.occupied() != RestoreTarget.Occupied.MERGE) {
        journal.write(
            execution,
            step,
            new StepJournal.Entry(
                StepJournal.RESTORED,
                spec.getKind(),
                planned.spec(),
                done.aside().orElse(null),
                spec.getScratch()));
      }
      r.setSucceeded(true)
          .setBytes(done.bytes())
          .setOutcome(
              RestoreOutcome.newBuilder()
                  .setAside(done.aside().map(MovedAsides::toEvent).orElse(null))
                  .setHealth(done.health().checks())
                  .build())
          .setMessage(
              "restored "
                  + done.bytes()
                  + " bytes into "
                  + target.spec()
                  + restarted
                  + done.aside().map(a -> "; the original is kept at " + a.location()).orElse("")
                  + "; health: "
                  + (done.health().checks().isEmpty()
                      ? "ok"
                      : String.join("; ", done.health().checks())));
    } catch (RestoreException e) {
      r.setMessage(Redact.spec(String.join("; ", e.problems())))
          .setProblems(e.problems().stream().map(Redact::spec).toList());
      r.setUndone(e.undone());
    } catch (IOException e) {
      r.setMessage(Redact.spec(String.valueOf(e.getMessage())));
    }
  }

  /**
   * Why this executor will not write into the command's target: its policy refuses it, or it no
   * longer resolves to the path the prepare step checked (a link put in its way since). Checked
   * here as well as in prepare: the restore is where the data is written.
   */
  private Optional<String> refusal(String execution, RestoreStepSpec spec, Manifest manifest) {
    String source = manifest.component(spec.getComponent()).map(c -> c.source()).orElse(null);
    TargetPolicy.Decision d =
        context.target(
            execution,
            "",
            spec.getComponent(),
            manifestKind(manifest, spec),
            spec.getTarget(),
            source,
            spec.getScratch());
    if (!d.allowed()) {
      return Optional.of(
          "target "
              + Redact.spec(spec.getTarget())
              + " is refused: "
              + String.join("; ", d.problems())
              + "; nothing was written");
    }
    if (!d.target().equals(spec.getTarget())) {
      return Optional.of(
          "target "
              + Redact.spec(spec.getTarget())
              + " now resolves to "
              + Redact.spec(d.target())
              + ", not to the path the recovery validated; nothing was written");
    }
    return Optional.empty();
  }

  /** The component's kind as its manifest records it (the command's is only what it says). */
  private static String manifestKind(Manifest manifest, RestoreStepSpec spec) {
    return manifest.component(spec.getComponent()).map(c -> c.kind()).orElse(spec.getKind());
  }
}
