package io.lifeboat.recovery.executor;

import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.events.CheckStepSpec;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.PrepareStepSpec;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.RestoreStepSpec;
import io.lifeboat.events.StepAction;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs recovery steps where the data and the tools are (hosted by the dump stage's process: it
 * holds the providers, the database tools and the repository key). Plain Java: a command in, a
 * result out. Each kind of step is its own class: {@link PrepareStep}, {@link RestoreStep}, {@link
 * CheckStep}, and {@link RestoreCompensation} to undo a restore; this class only picks one by the
 * type of the step's spec and makes the result.
 */
public final class RecoveryStepExecutor implements AutoCloseable {

  /** Progress of a running step. */
  public interface ProgressSink {
    void progress(RecoveryStepCommand command, long bytesDone, long bytesTotal);
  }

  private final Supplier<List<String>> readNotices;
  private final PrepareStep prepare;
  private final RestoreStep restore;
  private final CheckStep check;
  private final RestoreCompensation compensation;

  /**
   * @param repository the repository to read (with replicas: one that falls back to them)
   * @param readNotices what reads fell back from since the last call; added to the step's message
   * @param scratchDir where recovery tests make scratch folders
   * @param journalDir where steps note what they have changed, to start again cleanly after a crash
   * @param policy where restores may write, and how checks run
   */
  public RecoveryStepExecutor(
      Supplier<Repository> repository,
      Supplier<List<String>> readNotices,
      ProviderRegistry providers,
      Path scratchDir,
      Path journalDir,
      int parallelism,
      ExecutorPolicy policy) {
    this.readNotices = readNotices;
    ExecutorContext context =
        new ExecutorContext(
            repository, providers, scratchDir, new StepJournal(journalDir), parallelism, policy);
    UserChecks checks = new UserChecks(providers, policy);
    this.prepare = new PrepareStep(context, new BackupResolver(repository), checks);
    this.restore = new RestoreStep(context);
    this.check = new CheckStep(checks);
    this.compensation = new RestoreCompensation(context);
  }

  public RecoveryStepResult execute(RecoveryStepCommand command, ProgressSink progress) {
    long t0 = System.nanoTime();
    RecoveryStep step = command.getStep();
    RecoveryStepResult.Builder r =
        RecoveryStepResult.newBuilder()
            .setEnvelope(Envelopes.next(command.getExecutionId()))
            .setExecutionId(command.getExecutionId())
            .setCommandId(command.getCommandId())
            .setStepId(step.getStepId())
            .setAction(command.getAction())
            .setSucceeded(false);
    try {
      Object spec = step.getSpec();
      if (command.getAction() == StepAction.COMPENSATE) {
        if (spec instanceof RestoreStepSpec s) {
          compensation.run(command.getExecutionId(), step, s, r);
        } else {
          r.setSucceeded(true).setMessage("nothing to undo");
        }
      } else if (spec instanceof PrepareStepSpec s) {
        prepare.run(command.getExecutionId(), command.getMode() == RecoveryMode.TEST, s, r);
      } else if (spec instanceof RestoreStepSpec s) {
        restore.run(command, s, progress, r);
      } else if (spec instanceof CheckStepSpec s) {
        check.run(s, r);
      } else {
        r.setMessage(
            "this executor does not know steps like " + step.getStepId() + " (no spec it can run)");
      }
    } catch (RuntimeException e) {
      r.setSucceeded(false)
          .setMessage("unexpected error: " + Redact.spec(String.valueOf(e.getMessage())));
    }
    List<String> notes = readNotices.get();
    if (!notes.isEmpty()) {
      r.setMessage(
          (r.getMessage() == null ? "" : r.getMessage()) + "; note: " + String.join("; ", notes));
    }
    return r.setDurationMs((System.nanoTime() - t0) / 1_000_000).build();
  }

  @Override
  public void close() {
    // restorers are made per step and closed with it
  }
}
