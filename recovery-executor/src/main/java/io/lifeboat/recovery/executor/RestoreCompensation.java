package io.lifeboat.recovery.executor;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.restore.Restorer;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.RestoreOutcome;
import io.lifeboat.events.RestoreStepSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Compensates a restore: removes what it wrote and puts the original back (a scratch target is
 * removed entirely). Runs at most once per command, also across an executor restart.
 */
final class RestoreCompensation {

  private final ExecutorContext context;

  RestoreCompensation(ExecutorContext context) {
    this.context = context;
  }

  void run(String commandId, RecoveryStep step, RestoreStepSpec spec, RecoveryStepResult.Builder r) {
    RestoreTarget.Occupied occupied = Targets.occupied(spec.getIfExists());
    if (occupied == RestoreTarget.Occupied.MERGE) {
      r.setMessage("restored with ifExists: merge into " + spec.getTarget() + ", which cannot be undone; left as it is");
      return;
    }
    Optional<Aside> aside = step.getOutcome() instanceof RestoreOutcome o && o.getAside() != null
        ? Optional.of(MovedAsides.fromEvent(o.getAside()))
        : Optional.empty();
    RestoreTarget target = new RestoreTarget(spec.getTarget(), occupied);
    StepJournal journal = context.journal();
    if (journal.read(commandId).filter(e -> StepJournal.COMPENSATED.equals(e.state())).isPresent()) {
      r.setSucceeded(true).setMessage("already undone (before this executor restarted)");
      return;
    }
    try {
      try (Restorer restorer = context.restorer()) {
        restorer.undo(spec.getKind(), target, aside);
      }
      journal.write(commandId, new StepJournal.Entry(StepJournal.COMPENSATED, null));
      if (spec.getScratch() && context.isFolderKind(spec.getKind())) {
        Path folder = Path.of(target.spec());
        Targets.deleteTree(folder);
        Path parent = folder.getParent();
        if (parent != null && parent.startsWith(context.scratchDir())) {
          Targets.deleteIfEmpty(parent); // this test's scratch folder, not the parent of a user's testTarget
        }
      }
      r.setSucceeded(true).setMessage(spec.getScratch() ? "scratch target " + target.spec() + " removed"
          : aside.map(a -> "original put back from " + a.location()).orElse("restored data removed from " + target.spec()));
    } catch (IOException | RuntimeException e) {
      r.setMessage(Redact.spec(String.valueOf(e.getMessage())) + aside.map(a -> " (the original is kept at " + a.location() + ")").orElse(""));
    }
  }
}
