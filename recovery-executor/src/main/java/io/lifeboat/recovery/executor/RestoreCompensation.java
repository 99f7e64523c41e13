package io.lifeboat.recovery.executor;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.restore.Restorer;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.RestoreStepSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Compensates a restore: removes what it wrote and puts the original back (a scratch target is
 * removed entirely). What it undoes, where, and with which original, comes from the executor's step
 * journal, never from the command. Runs at most once per step, also across a restart.
 */
final class RestoreCompensation {

  private final ExecutorContext context;

  RestoreCompensation(ExecutorContext context) {
    this.context = context;
  }

  void run(
      String executionId, RecoveryStep step, RestoreStepSpec spec, RecoveryStepResult.Builder r) {
    RestoreTarget.Occupied occupied = Targets.occupied(spec.getIfExists());
    if (occupied == RestoreTarget.Occupied.MERGE) {
      r.setMessage(
          "restored with ifExists: merge into "
              + spec.getTarget()
              + ", which cannot be undone; left as it is");
      return;
    }
    StepJournal journal = context.journal();
    Optional<StepJournal.Entry> recorded = journal.read(executionId, step.getStepId());
    if (recorded.isPresent() && StepJournal.COMPENSATED.equals(recorded.get().state())) {
      r.setSucceeded(true).setMessage("already undone (before this executor restarted)");
      return;
    }
    // only what this executor's journal says it did is undone, never a target or original a command
    // names
    if (recorded.isEmpty() || !recorded.get().target().equals(spec.getTarget())) {
      r.setMessage(
          "refused: this executor's journal holds no restore of "
              + spec.getTarget()
              + " for "
              + executionId
              + " "
              + step.getStepId()
              + "; a compensation only undoes what this executor did");
      return;
    }
    StepJournal.Entry entry = recorded.get();
    Optional<Aside> aside = Optional.ofNullable(entry.aside());
    RestoreTarget target = new RestoreTarget(entry.target(), occupied);
    try {
      try (Restorer restorer = context.restorer()) {
        restorer.undo(entry.kind(), target, aside);
      }
      journal.write(executionId, step.getStepId(), entry.with(StepJournal.COMPENSATED));
      if (entry.scratch() && context.isFolderKind(entry.kind())) {
        Path folder = Path.of(target.spec());
        Targets.deleteTree(folder);
        Path parent = folder.getParent();
        if (parent != null && parent.startsWith(context.scratchDir())) {
          Targets.deleteIfEmpty(
              parent); // this test's scratch folder, not the parent of a user's testTarget
        }
      }
      r.setSucceeded(true)
          .setMessage(
              entry.scratch()
                  ? "scratch target " + target.spec() + " removed"
                  : aside
                      .map(a -> "original put back from " + a.location())
                      .orElse("restored data removed from " + target.spec()));
    } catch (IOException | RuntimeException e) {
      r.setMessage(
          Redact.spec(String.valueOf(e.getMessage()))
              + aside.map(a -> " (the original is kept at " + a.location() + ")").orElse(""));
    }
  }
}
