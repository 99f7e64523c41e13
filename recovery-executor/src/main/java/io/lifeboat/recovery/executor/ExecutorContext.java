package io.lifeboat.recovery.executor;

import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.Restorer;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What every kind of step works with: the repository (read lazily: it may not be reachable when the
 * executor starts), the component providers, the folder for scratch targets, the journal of changes
 * in progress, and how many chunks a restore fetches at once.
 */
record ExecutorContext(
    Supplier<Repository> repository,
    ProviderRegistry providers,
    Path scratchDir,
    StepJournal journal,
    int parallelism) {

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
}
