package io.lifeboat.recovery.executor;

import io.lifeboat.core.policy.TargetForm;
import io.lifeboat.core.policy.TargetPolicy;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.Restorer;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What every kind of step works with: the repository (read lazily: it may not be reachable when the
 * executor starts), the component providers, the folder for scratch targets, the journal of changes
 * in progress, how many chunks a restore fetches at once, and the executor's policy.
 */
record ExecutorContext(
    Supplier<Repository> repository,
    ProviderRegistry providers,
    Path scratchDir,
    StepJournal journal,
    int parallelism,
    ExecutorPolicy policy) {

  /** A restorer over the repository as it is now; made per step and closed with it. */
  Restorer restorer() {
    return new Restorer(repository.get(), providers, parallelism);
  }

  /** Whether a kind restores into a folder (files, config, secrets, ...) rather than a server. */
  boolean isFolderKind(String kind) {
    try {
      return providers.byKind(kind).restoresToFolder();
    } catch (InvalidSourceException e) {
      return false;
    }
  }

  /**
   * Whether a component may be restored into the target, by this executor's target policy; a
   * refusal is reported (audited) before it is answered. The decision's target is the one to write
   * into (a folder resolved to its real path).
   *
   * @param kind the component's kind: how its provider reads the target
   * @param source the spec the component was backed up from (its manifest's)
   * @param scratch the executor made the target itself, for a recovery test
   */
  TargetPolicy.Decision target(
      String executionId,
      String requestedBy,
      String component,
      String kind,
      String target,
      @Nullable String source,
      boolean scratch) {
    TargetPolicy.Decision d;
    try {
      d = policy.targets().check(target, TargetForm.of(providers.byKind(kind)), source, scratch);
    } catch (InvalidSourceException e) {
      d = new TargetPolicy.Decision(target, java.util.List.of(String.valueOf(e.getMessage())));
    }
    if (!d.allowed()) {
      policy
          .refusals()
          .refused(
              executionId,
              requestedBy,
              component,
              String.valueOf(Redact.spec(target)),
              d.problems());
    }
    return d;
  }
}
