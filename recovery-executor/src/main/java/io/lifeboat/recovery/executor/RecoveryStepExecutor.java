package io.lifeboat.recovery.executor;

import io.lifeboat.model.RecoveryPlanSpec;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.provider.Redact;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.RestoreException;
import io.lifeboat.core.restore.RestoreReport;
import io.lifeboat.core.restore.Restorer;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.RecoverySteps;
import io.lifeboat.events.StepAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs recovery steps where the data and the tools are (in the dump stage: it holds the
 * providers, the database tools and the repository key). Plain Java: a command in, a result out.
 *
 * <ul>
 *   <li>prepare: per component, the backup to use (from the repository's manifests), and every
 *       problem that would stop the recovery: no verified backup, chunks missing in storage, an
 *       unusable or unreachable target, a missing tool, too little space; a recovery test also
 *       gets its scratch targets here. Changes nothing.
 *   <li>restore: streams the component from storage into its target, moving an occupied target
 *       aside; undoes its own work when it fails.
 *   <li>check: runs one user check.
 *   <li>compensate a restore: removes what it wrote and puts the original back (a scratch target
 *       is removed entirely).
 * </ul>
 */
public final class RecoveryStepExecutor implements AutoCloseable {

  /** Progress of a running step. */
  public interface ProgressSink {
    void progress(RecoveryStepCommand command, long bytesDone, long bytesTotal);
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final double SPACE_MARGIN = 1.1;

  private final Supplier<Repository> repository;
  private final ProviderRegistry providers;
  private final Path scratchDir;
  private final BackupResolver resolver;
  private final UserChecks checks;
  private final int parallelism;

  private final Supplier<List<String>> readNotices;
  private final StepJournal journal;

  /**
   * @param repository the repository to read (with replicas: one that falls back to them)
   * @param readNotices what reads fell back from since the last call; added to the step's message
   */
  public RecoveryStepExecutor(Supplier<Repository> repository, Supplier<List<String>> readNotices, ProviderRegistry providers,
      Path scratchDir, int parallelism) {
    this(repository, readNotices, providers, scratchDir, scratchDir.resolveSibling("recovery-journal"), parallelism);
  }

  /** @param journalDir where steps note what they have changed, to start again cleanly after a crash */
  public RecoveryStepExecutor(Supplier<Repository> repository, Supplier<List<String>> readNotices, ProviderRegistry providers,
      Path scratchDir, Path journalDir, int parallelism) {
    this.journal = new StepJournal(journalDir);
    this.repository = repository;
    this.readNotices = readNotices;
    this.providers = providers;
    this.scratchDir = scratchDir;
    this.resolver = new BackupResolver(repository);
    this.checks = new UserChecks(providers);
    this.parallelism = parallelism;
  }

  public RecoveryStepResult execute(RecoveryStepCommand command, ProgressSink progress) {
    long t0 = System.nanoTime();
    RecoveryStepResult.Builder r = RecoveryStepResult.newBuilder()
        .setEnvelope(Envelopes.next(command.getExecutionId()))
        .setExecutionId(command.getExecutionId())
        .setCommandId(command.getCommandId())
        .setStepId(command.getStep().getStepId())
        .setAction(command.getAction())
        .setSucceeded(false);
    try {
      RecoveryStep step = command.getStep();
      if (command.getAction() == StepAction.COMPENSATE) {
        compensate(command.getCommandId(), step, r);
      } else {
        switch (step.getKind()) {
          case RecoverySteps.PREPARE -> prepare(command, r);
          case RecoverySteps.RESTORE -> restore(command, progress, r);
          case RecoverySteps.CHECK -> check(step, r);
          default -> r.setMessage("this executor does not know steps of kind " + step.getKind());
        }
      }
    } catch (RuntimeException e) {
      r.setSucceeded(false).setMessage("unexpected error: " + Redact.spec(String.valueOf(e.getMessage())));
    }
    List<String> notes = readNotices.get();
    if (!notes.isEmpty()) {
      r.setMessage((r.getMessage() == null ? "" : r.getMessage()) + "; note: " + String.join("; ", notes));
    }
    return r.setDurationMs((System.nanoTime() - t0) / 1_000_000).build();
  }

  private void prepare(RecoveryStepCommand command, RecoveryStepResult.Builder r) {
    Map<String, String> p = command.getStep().getParameters();
    RecoveryPlanSpec plan = RecoveryPlanSpec.parse(p.get(RecoverySteps.PLAN));
    Instant at = p.containsKey(RecoverySteps.AT) ? Instant.parse(p.get(RecoverySteps.AT)) : null;
    String backupId = p.get(RecoverySteps.BACKUP_ID);
    boolean test = command.getMode() == RecoveryMode.TEST;
    List<String> problems = new ArrayList<>();
    Map<String, String> outputs = new LinkedHashMap<>();
    Map<String, String> kinds = new HashMap<>();
    Set<ChunkId> stored = null;
    List<String> listed = null;
    try {
      stored = repository.get().listChunks();
    } catch (StorageException e) {
      problems.add("storage is not usable: " + Redact.spec(e.getMessage()));
    }
    for (RecoveryPlanSpec.ComponentTarget c : plan.components()) {
      String label = "component " + c.name() + ": ";
      String from = c.from() != null ? c.from() : plan.from();
      Optional<BackupResolver.Found> found;
      try {
        if (listed == null && backupId == null) {
          listed = resolver.listed();
        }
        found = resolver.resolve(c.name(), backupId, from, at, listed);
      } catch (StorageException e) {
        problems.add(label + "cannot read backups: " + Redact.spec(e.getMessage()));
        continue;
      }
      if (found.isEmpty()) {
        problems.add(label + "no verified backup holds it" + (backupId != null ? " (backup " + backupId + ")"
            : (from != null ? " of definition " + from : "") + (at != null ? " at or before " + at : "")));
        continue;
      }
      Manifest.Component component = found.get().component();
      kinds.put(c.name(), component.kind());
      if (stored != null) {
        Set<ChunkId> inStorage = stored;
        long missing = component.chunks().stream().distinct().filter(id -> !stored(id, inStorage)).count();
        if (missing > 0) {
          problems.add(label + "backup " + found.get().backupId() + " lacks " + missing + " of its chunks in storage");
        }
      }
      ComponentProvider provider;
      try {
        provider = providers.byKind(component.kind());
      } catch (InvalidSourceException e) {
        problems.add(label + e.getMessage());
        continue;
      }
      String target;
      if (test) {
        Optional<String> scratch = scratchTarget(command.getExecutionId(), c, provider);
        if (scratch.isEmpty()) {
          problems.add(label + "a recovery test cannot make a scratch target for " + component.kind()
              + " targets; give the component a testTarget in the plan");
          continue;
        }
        target = scratch.get();
      } else {
        target = c.target();
      }
      RestoreTarget.Occupied occupied = test ? RestoreTarget.Occupied.REFUSE : occupied(c.ifExistsOrDefault());
      for (String problem : provider.checkTarget(new RestoreTarget(target, occupied))) {
        problems.add(label + Redact.spec(inPlanTerms(problem)));
      }
      if (provider.restoresToFolder()) {
        space(Path.of(target), component.sizeBytes()).ifPresent(s -> problems.add(label + s));
      }
      outputs.put(RecoverySteps.componentOutput(c.name(), "backupId"), found.get().backupId());
      outputs.put(RecoverySteps.componentOutput(c.name(), "kind"), component.kind());
      outputs.put(RecoverySteps.componentOutput(c.name(), "sizeBytes"), Long.toString(component.sizeBytes()));
      outputs.put(RecoverySteps.componentOutput(c.name(), "target"), target);
      outputs.put(RecoverySteps.componentOutput(c.name(), "completedAt"), found.get().manifest().completedAt().toString());
    }
    for (RecoveryPlanSpec.Check k : plan.checks()) {
      if (!test || k.runsInTest()) {
        problems.addAll(checks.problems(k, kinds));
      }
    }
    r.setOutputs(outputs).setProblems(problems).setSucceeded(problems.isEmpty())
        .setMessage(problems.isEmpty() ? "every component has a verified backup and a usable target"
            : problems.size() + " problem(s): " + String.join("; ", problems));
  }

  private void restore(RecoveryStepCommand command, ProgressSink progress, RecoveryStepResult.Builder r) {
    Map<String, String> p = command.getStep().getParameters();
    String name = p.get(RecoverySteps.COMPONENT);
    long total = Long.parseLong(p.getOrDefault(RecoverySteps.SIZE_BYTES, "0"));
    RestoreTarget target = new RestoreTarget(p.get(RecoverySteps.TARGET), occupied(p.get(RecoverySteps.OCCUPIED)));
    Manifest manifest;
    try {
      manifest = repository.get().readManifest(p.get(RecoverySteps.BACKUP_ID));
    } catch (io.lifeboat.core.repo.DamagedObjectException | StorageException e) {
      r.setMessage("cannot read backup " + p.get(RecoverySteps.BACKUP_ID) + ": " + Redact.spec(e.getMessage()));
      return;
    }
    try {
      if (Boolean.parseBoolean(p.get(RecoverySteps.SCRATCH)) && isFolderKind(p.get(RecoverySteps.KIND))) {
        Files.createDirectories(Path.of(target.spec()).getParent());
      }
      RestoreReport.Restored done;
      String id = command.getCommandId();
      String restarted = "";
      try (Restorer restorer = restorer()) {
        Optional<StepJournal.Entry> earlier = journal.read(id);
        if (earlier.isPresent() && StepJournal.WRITING.equals(earlier.get().state())) {
          // this step ran before and its executor died while writing: put the target back as it was, then start again
          try {
            restorer.undo(p.get(RecoverySteps.KIND), target, Optional.ofNullable(earlier.get().aside()));
          } catch (IOException e) {
            // the journal entry stays: the interrupted attempt's data and the original are where it says
            r.setMessage(Redact.spec("an interrupted earlier attempt could not be undone: " + e.getMessage()
                    + Optional.ofNullable(earlier.get().aside()).map(a -> " (the original is kept at " + a.location() + ")").orElse("")))
                .setOutputs(Map.of(RecoverySteps.UNDONE, "false"));
            return;
          }
          journal.forget(id);
          restarted = " (an interrupted earlier attempt was undone first)";
        }
        boolean undoable = target.occupied() != RestoreTarget.Occupied.MERGE;
        done = restorer.restoreComponent(manifest, name, target, bytes -> progress.progress(command, bytes, total),
            aside -> {
              if (undoable) {
                journal.write(id, new StepJournal.Entry(StepJournal.WRITING, aside.orElse(null)));
              }
            });
      } catch (RestoreException e) {
        if (e.undone()) {
          journal.forget(command.getCommandId()); // it undid its own work
        }
        throw e;
      }
      Map<String, String> outputs = new HashMap<>();
      done.aside().ifPresent(a -> outputs.put(RecoverySteps.ASIDE, JSON.writeValueAsString(a)));
      outputs.put(RecoverySteps.HEALTH, String.join("\n", done.health().checks()));
      r.setSucceeded(true).setBytes(done.bytes()).setOutputs(outputs)
          .setMessage("restored " + done.bytes() + " bytes into " + target.spec() + restarted
              + done.aside().map(a -> "; the original is kept at " + a.location()).orElse("")
              + "; health: " + (done.health().checks().isEmpty() ? "ok" : String.join("; ", done.health().checks())));
    } catch (RestoreException e) {
      r.setMessage(Redact.spec(String.join("; ", e.problems()))).setProblems(e.problems().stream().map(Redact::spec).toList());
      if (!e.undone()) {
        r.setOutputs(Map.of(RecoverySteps.UNDONE, "false"));
      }
    } catch (IOException e) {
      r.setMessage(Redact.spec(String.valueOf(e.getMessage())));
    }
  }

  private void check(RecoveryStep step, RecoveryStepResult.Builder r) {
    RecoveryPlanSpec.Check check = JSON.readValue(step.getParameters().get(RecoverySteps.CHECK_SPEC), RecoveryPlanSpec.Check.class);
    Map<String, String> targets = JSON.readValue(step.getParameters().getOrDefault(RecoverySteps.TARGETS, "{}"),
        new TypeReference<Map<String, String>>() {});
    Map<String, String> kinds = JSON.readValue(step.getParameters().getOrDefault(RecoverySteps.KINDS, "{}"),
        new TypeReference<Map<String, String>>() {});
    UserChecks.Outcome outcome = checks.run(check, targets, kinds);
    r.setSucceeded(outcome.passed()).setMessage(Redact.spec(outcome.message()));
  }

  private void compensate(String commandId, RecoveryStep step, RecoveryStepResult.Builder r) {
    if (!RecoverySteps.RESTORE.equals(step.getKind())) {
      r.setSucceeded(true).setMessage("nothing to undo");
      return;
    }
    Map<String, String> p = step.getParameters();
    boolean scratch = Boolean.parseBoolean(p.get(RecoverySteps.SCRATCH));
    RestoreTarget.Occupied occupied = occupied(p.get(RecoverySteps.OCCUPIED));
    if (occupied == RestoreTarget.Occupied.MERGE) {
      r.setMessage("restored with ifExists: merge into " + p.get(RecoverySteps.TARGET) + ", which cannot be undone; left as it is");
      return;
    }
    Optional<Aside> aside = Optional.ofNullable(step.getOutputs().get(RecoverySteps.ASIDE)).map(a -> JSON.readValue(a, Aside.class));
    RestoreTarget target = new RestoreTarget(p.get(RecoverySteps.TARGET), occupied);
    if (journal.read(commandId).filter(e -> StepJournal.COMPENSATED.equals(e.state())).isPresent()) {
      r.setSucceeded(true).setMessage("already undone (before this executor restarted)");
      return;
    }
    try {
      try (Restorer restorer = restorer()) {
        restorer.undo(p.get(RecoverySteps.KIND), target, aside);
      }
      journal.write(commandId, new StepJournal.Entry(StepJournal.COMPENSATED, null));
      if (scratch && isFolderKind(p.get(RecoverySteps.KIND))) {
        deleteTree(Path.of(target.spec()));
        Path parent = Path.of(target.spec()).getParent();
        if (parent != null && parent.startsWith(scratchDir)) {
          deleteIfEmpty(parent); // this test's scratch folder, not the parent of a user's testTarget
        }
      }
      r.setSucceeded(true).setMessage(scratch ? "scratch target " + target.spec() + " removed"
          : aside.map(a -> "original put back from " + a.location()).orElse("restored data removed from " + target.spec()));
    } catch (IOException | RuntimeException e) {
      r.setMessage(Redact.spec(String.valueOf(e.getMessage())) + aside.map(a -> " (the original is kept at " + a.location() + ")").orElse(""));
    }
  }

  private Optional<String> scratchTarget(String executionId, RecoveryPlanSpec.ComponentTarget c, ComponentProvider provider) {
    if (c.testTarget() != null) {
      return Optional.of(c.testTarget());
    }
    String suffix = executionId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    suffix = suffix.length() > 12 ? suffix.substring(suffix.length() - 12) : suffix;
    if (provider.restoresToFolder()) {
      return Optional.of(scratchDir.resolve(suffix).resolve(c.name()).toString());
    }
    return provider.scratchTarget(c.target(), suffix);
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
        return Optional.of("needs " + (need >> 20) + " MiB at " + target + " but only " + (free >> 20) + " MiB are free");
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

  private boolean isFolderKind(String kind) {
    try {
      return providers.byKind(kind).restoresToFolder();
    } catch (InvalidSourceException e) {
      return false;
    }
  }

  /** Providers speak in the restore command's options; a plan says ifExists. */
  static String inPlanTerms(String problem) {
    return problem.replace("--replace", "ifExists: replace").replace("--force", "ifExists: merge");
  }

  static RestoreTarget.Occupied occupied(String ifExists) {
    return switch (ifExists == null ? "replace" : ifExists.toLowerCase(Locale.ROOT)) {
      case "refuse" -> RestoreTarget.Occupied.REFUSE;
      case "merge" -> RestoreTarget.Occupied.MERGE;
      default -> RestoreTarget.Occupied.REPLACE;
    };
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException notEmpty) {
      // other components of the same test are still there
    }
  }

  /** The step's result is safely sent: its journal entry is no longer needed. */
  public void forget(String commandId) {
    journal.forget(commandId);
  }

  @Override
  public void close() {
    // restorers are made per step and closed with it
  }

  /** A restorer over the repository as it is now (the repository may not be reachable at start). */
  private Restorer restorer() {
    return new Restorer(repository.get(), providers, parallelism);
  }
}
