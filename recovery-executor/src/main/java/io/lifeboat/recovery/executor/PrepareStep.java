package io.lifeboat.recovery.executor;

import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.policy.TargetPolicy;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.core.wal.WalReplayPlan;
import io.lifeboat.events.CheckSpec;
import io.lifeboat.events.ComponentTargetSpec;
import io.lifeboat.events.PrepareOutcome;
import io.lifeboat.events.PrepareStepSpec;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.ResolvedComponent;
import io.lifeboat.provider.postgres.PointInTimeRestore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Prepare: per component, the backup to use (from the repository's manifests), and every problem
 * that would stop the recovery: no verified backup, chunks missing in storage, an unusable or
 * unreachable target, a missing tool, too little space. A recovery test also gets its scratch
 * targets here. Changes nothing.
 */
final class PrepareStep {

  private static final double SPACE_MARGIN = 1.1;

  private final ExecutorContext context;
  private final BackupResolver resolver;
  private final UserChecks checks;

  PrepareStep(ExecutorContext context, BackupResolver resolver, UserChecks checks) {
    this.context = context;
    this.resolver = resolver;
    this.checks = checks;
  }

  void run(String executionId, boolean test, PrepareStepSpec spec, RecoveryStepResult.Builder r) {
    Instant at = spec.getAt();
    String backupId = spec.getBackupId();
    List<String> problems = new ArrayList<>();
    List<ResolvedComponent> resolved = new ArrayList<>();
    Map<String, String> kinds = new HashMap<>();
    Set<ChunkId> stored = null;
    List<String> listed = null;
    try {
      stored = context.repository().get().listChunks();
    } catch (StorageException e) {
      problems.add("storage is not usable: " + Redact.spec(e.getMessage()));
    }
    for (ComponentTargetSpec c : spec.getComponents()) {
      String label = "component " + c.getName() + ": ";
      String from = c.getFrom();
      Optional<BackupResolver.Found> found;
      try {
        if (listed == null && backupId == null) {
          listed = resolver.listed();
        }
        found = resolver.resolve(c.getName(), backupId, from, at, listed);
      } catch (StorageException e) {
        problems.add(label + "cannot read backups: " + Redact.spec(e.getMessage()));
        continue;
      }
      if (found.isEmpty()) {
        problems.add(
            label
                + "no verified backup holds it"
                + (backupId != null
                    ? " (backup " + backupId + ")"
                    : (from != null ? " of definition " + from : "")
                        + (at != null ? " at or before " + at : "")));
        continue;
      }
      Manifest.Component component = found.get().component();
      kinds.put(c.getName(), component.kind());
      if (stored != null) {
        Set<ChunkId> inStorage = stored;
        long missing =
            component.chunks().stream().distinct().filter(id -> !stored(id, inStorage)).count();
        if (missing > 0) {
          problems.add(
              label
                  + "backup "
                  + found.get().backupId()
                  + " lacks "
                  + missing
                  + " of its chunks in storage");
        }
      }
      ComponentProvider provider;
      try {
        provider = context.providers().byKind(component.kind());
      } catch (InvalidSourceException e) {
        problems.add(label + e.getMessage());
        continue;
      }
      String target;
      boolean ownScratch = false;
      if (test) {
        // a rehearsal of a recovery that would be refused proves nothing: its real target counts
        TargetPolicy.Decision real =
            context.target(
                executionId,
                spec.getRequestedBy(),
                c.getName(),
                component.kind(),
                c.getTarget(),
                component.source(),
                false);
        if (!real.allowed()) {
          for (String p : real.problems()) {
            problems.add(
                label
                    + "target "
                    + Redact.spec(c.getTarget())
                    + " (where a recovery restores it) is refused: "
                    + p);
          }
          continue;
        }
        Optional<String> scratch = scratchTarget(executionId, c, provider);
        if (scratch.isEmpty()) {
          problems.add(
              label
                  + "a recovery test cannot make a scratch target for "
                  + component.kind()
                  + " targets; give the component a testTarget in the plan");
          continue;
        }
        target = scratch.get();
        ownScratch = c.getTestTarget() == null;
      } else {
        target = c.getTarget();
      }
      // the executor's own policy first: nothing is opened, read or connected to for a refused
      // target
      TargetPolicy.Decision allowed =
          context.target(
              executionId,
              spec.getRequestedBy(),
              c.getName(),
              component.kind(),
              target,
              component.source(),
              ownScratch);
      if (!allowed.allowed()) {
        for (String p : allowed.problems()) {
          problems.add(label + "target " + Redact.spec(target) + " is refused: " + p);
        }
        continue;
      }
      target = allowed.target();
      RestoreTarget.Occupied occupied =
          test ? RestoreTarget.Occupied.REFUSE : Targets.occupied(c.getIfExists());
      for (String problem : provider.checkTarget(new RestoreTarget(target, occupied))) {
        problems.add(label + Redact.spec(Targets.inPlanTerms(problem)));
      }
      if (provider.restoresToFolder()) {
        space(Path.of(target), component.sizeBytes()).ifPresent(s -> problems.add(label + s));
      }
      Instant dataAsOf = found.get().manifest().completedAt();
      String recoveryTargetTime = null;
      if (PointInTimeRestore.applies(component)) {
        // a base backup replays the archived WAL: to the plan's time, or to the archive's end
        try {
          Optional<WalReplayPlan> replay =
              PointInTimeRestore.replay(
                  context.repository().get(), found.get().manifest(), component, at);
          dataAsOf = at != null ? at : replay.map(WalReplayPlan::recoverableUntil).orElse(dataAsOf);
          recoveryTargetTime = at == null ? null : at.toString();
        } catch (WalReplayPlan.Refused e) {
          problems.add(label + Redact.spec(String.valueOf(e.getMessage())));
        } catch (IOException | StorageException e) {
          problems.add(label + "cannot read the WAL archive: " + Redact.spec(e.getMessage()));
        }
      }
      resolved.add(
          ResolvedComponent.newBuilder()
              .setName(c.getName())
              .setKind(component.kind())
              .setBackupId(found.get().backupId())
              .setSizeBytes(component.sizeBytes())
              .setTarget(target)
              .setCompletedAt(dataAsOf)
              .setRecoveryTargetTime(recoveryTargetTime)
              .build());
    }
    Map<String, String> targets = new HashMap<>();
    resolved.forEach(c -> targets.put(c.getName(), c.getTarget()));
    for (CheckSpec k : spec.getChecks()) {
      if (!test || k.getInTest()) {
        problems.addAll(checks.problems(k, kinds, targets));
      }
    }
    r.setOutcome(PrepareOutcome.newBuilder().setComponents(resolved).build())
        .setProblems(problems)
        .setSucceeded(problems.isEmpty())
        .setMessage(
            problems.isEmpty()
                ? "every component has a verified backup and a usable target"
                : problems.size() + " problem(s): " + String.join("; ", problems));
  }

  private Optional<String> scratchTarget(
      String executionId, ComponentTargetSpec c, ComponentProvider provider) {
    if (c.getTestTarget() != null) {
      return Optional.of(c.getTestTarget());
    }
    String suffix = executionId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    suffix = suffix.length() > 12 ? suffix.substring(suffix.length() - 12) : suffix;
    Optional<String> own = provider.scratchTarget(c.getTarget(), suffix);
    if (own.isPresent() || !provider.restoresToFolder()) {
      return own;
    }
    return Optional.of(context.scratchDir().resolve(suffix).resolve(c.getName()).toString());
  }

  /** A problem when the folder's file system has less free space than the component needs. */
  static Optional<String> space(Path target, long bytes) {
    Path p = target.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null) {
      return Optional.empty();
    }
    try {
      long free = Files.getFileStore(p).getUsableSpace();
      long need = (long) (bytes * SPACE_MARGIN);
      if (free < need) {
        return Optional.of(
            "needs "
                + (need >> 20)
                + " MiB at "
                + target
                + " but only "
                + (free >> 20)
                + " MiB are free");
      }
    } catch (IOException e) {
      return Optional.of("cannot tell the free space at " + target + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  private static boolean stored(String hex, Set<ChunkId> stored) {
    try {
      return stored.contains(ChunkId.parse(hex));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
