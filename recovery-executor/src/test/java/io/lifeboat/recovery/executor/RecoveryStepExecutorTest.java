package io.lifeboat.recovery.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.policy.TargetPolicy;
import io.lifeboat.core.provider.CheckLogin;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.core.testing.DirectBackup;
import io.lifeboat.events.CheckStepSpec;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.IfExists;
import io.lifeboat.events.PrepareOutcome;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.ResolvedComponent;
import io.lifeboat.events.RestoreOutcome;
import io.lifeboat.events.RestoreStepSpec;
import io.lifeboat.events.StepAction;
import io.lifeboat.model.PlanEvents;
import io.lifeboat.model.RecoveryPlanSpec;
import io.lifeboat.provider.files.ConfigProvider;
import io.lifeboat.provider.files.SecretsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery steps as plain Java: a command in, a result out, against a real repository and real
 * folders.
 */
class RecoveryStepExecutorTest {

  @TempDir Path dir;
  Repository repo;
  RecoveryStepExecutor executor;
  Path scratch;
  Path journal;

  @BeforeEach
  void backup() throws Exception {
    repo =
        Repository.init(
            new MemBackend(UUID.randomUUID().toString()),
            MasterKey.generate(),
            new ChunkerParams(4096, 16384, 65536, 5L));
    Path config = Files.createDirectories(dir.resolve("src/config"));
    Files.writeString(config.resolve("app.yaml"), "port: 8443\n");
    DirectBackup.run(repo, new ConfigProvider(), "config:" + config, "b-1");
    scratch = home().resolve("scratch");
    journal = home().resolve("recovery-journal");
    executor =
        new RecoveryStepExecutor(
            () -> repo,
            List::of,
            ProviderRegistry.of(new ConfigProvider(), new SecretsProvider()),
            scratch,
            journal,
            2,
            policy());
  }

  /** Refused targets, as the executor reported them. */
  final List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * This test's policy: targets under its folder, never in its "home" (which holds the journal and
   * the scratch folder, as Lifeboat's home does).
   */
  ExecutorPolicy policy() {
    return new ExecutorPolicy(
        new TargetPolicy(
            List.of(dir),
            List.of(home()),
            new TargetPolicy.DatabaseRule(java.util.Set.of(), home().resolve("passwords")),
            TargetPolicy.Production.of(t -> t.startsWith(dir.resolve("prod").toString())),
            scratch),
        CommandCheckPolicy.ENABLED,
        new CheckLogin("lifeboat_check", null),
        java.util.Set.of(),
        (x, by, component, target, reasons) ->
            refusals.add(x + " " + by + " " + component + " " + target + ": " + reasons));
  }

  Path home() {
    return dir.resolve("home");
  }

  static RecoveryStepCommand command(RecoveryMode mode, StepAction action, RecoveryStep step) {
    return RecoveryStepCommand.newBuilder()
        .setEnvelope(Envelopes.next("x-1"))
        .setExecutionId("x-1")
        .setCommandId(UUID.randomUUID().toString())
        .setMode(mode)
        .setAction(action)
        .setStep(step)
        .build();
  }

  static RecoveryStep prepare(String planYaml) {
    return RecoveryStep.newBuilder()
        .setStepId("prepare")
        .setSpec(PlanEvents.prepare(RecoveryPlanSpec.parse(planYaml), null, null, "alice"))
        .build();
  }

  static RecoveryStep restore(String target, boolean scratch) {
    RestoreStepSpec spec =
        RestoreStepSpec.newBuilder()
            .setComponent("config")
            .setKind("config")
            .setBackupId("b-1")
            .setTarget(target)
            .setIfExists(scratch ? IfExists.REFUSE : IfExists.REPLACE)
            .setScratch(scratch)
            .setSizeBytes(11)
            .build();
    return RecoveryStep.newBuilder()
        .setStepId("restore:config")
        .setComponent("config")
        .setCompensable(true)
        .setSpec(spec)
        .build();
  }

  /** The step as the coordinator sends it back for compensation: with what its run reported. */
  static RecoveryStep reported(RecoveryStep step, RecoveryStepResult result) {
    return RecoveryStep.newBuilder(step).setOutcome(result.getOutcome()).build();
  }

  static RestoreOutcome restored(RecoveryStepResult r) {
    return (RestoreOutcome) r.getOutcome();
  }

  @Test
  void prepare_listsEveryProblem_andChangesNothing() {
    Path occupied = dir.resolve("occupied");
    RecoveryStepResult r =
        executor.execute(
            command(
                RecoveryMode.EXECUTE,
                StepAction.RUN,
                prepare(
                    """
        name: p
        components:
          - {name: config, target: %s, ifExists: refuse}
          - {name: ghost, target: %s}
        checks:
          - {name: q, sql: select 1, component: config, expect: "1"}
        """
                        .formatted(dir.resolve("src/config"), occupied))),
            (c, d, t) -> {});

    assertThat(r.getSucceeded()).isFalse();
    assertThat(r.getProblems())
        .hasSize(3)
        .anyMatch(
            p ->
                p.contains("component config")
                    && p.contains("is not empty")
                    && p.contains("ifExists: replace"))
        .anyMatch(p -> p.contains("component ghost: no verified backup holds it"))
        .anyMatch(p -> p.contains("check q"));
    assertThat(occupied).doesNotExist();
  }

  @Test
  void prepare_refusesTargetsTheExecutorsPolicyForbids_beforeTouchingThem() throws Exception {
    Files.createDirectories(home());
    Files.writeString(home().resolve("api-tokens"), "real tokens\n");
    Files.createSymbolicLink(dir.resolve("to-home"), home());
    Path before = Files.createDirectories(dir.resolve("prod/db"));
    Files.createSymbolicLink(dir.resolve("alias"), before.getParent());
    List<String> targets =
        List.of(
            home().toString(),
            dir + "/x/../home",
            dir + "//home",
            dir + "/./home",
            dir.resolve("to-home").toString(),
            "restored",
            dir.resolve("alias/db").toString());
    StringBuilder yaml = new StringBuilder("name: p\ncomponents:\n");
    for (int i = 0; i < targets.size(); i++) {
      yaml.append(
          "  - {name: config, target: \"%s\", ifExists: merge}\n".formatted(targets.get(i)));
    }
    for (String target : targets) {
      RecoveryStepResult r =
          executor.execute(
              command(
                  RecoveryMode.EXECUTE,
                  StepAction.RUN,
                  prepare(
                      "name: p\ncomponents:\n  - {name: config, target: \"%s\", ifExists: merge}\n"
                          .formatted(target))),
              (c, d, t) -> {});
      assertThat(r.getSucceeded()).as(target).isFalse();
      assertThat(r.getProblems())
          .as(target)
          .isNotEmpty()
          .allMatch(p -> p.startsWith("component config: target ") && p.contains("is refused: "));
    }
    assertThat(refusals).hasSize(targets.size()).allMatch(x -> x.startsWith("x-1 alice config "));
    assertThat(home().resolve("api-tokens")).hasContent("real tokens\n");
    try (Stream<Path> s = Files.list(home())) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("api-tokens");
    }
  }

  @Test
  void restore_refusesATargetThatNoLongerResolvesWherePrepareFoundIt() throws Exception {
    Files.createDirectories(home());
    Path target = dir.resolve("later");
    Files.createSymbolicLink(target, home());

    RecoveryStepResult r =
        executor.execute(
            command(RecoveryMode.EXECUTE, StepAction.RUN, restore(target.toString(), false)),
            (c, d, t) -> {});

    assertThat(r.getSucceeded()).isFalse();
    assertThat(r.getUndone()).isTrue();
    assertThat(r.getMessage()).contains("is refused").contains("nothing was written");
    try (Stream<Path> s = Files.list(home())) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void prepare_resolvesTheBackup_andATestGetsAScratchFolder() {
    RecoveryStepResult r =
        executor.execute(
            command(
                RecoveryMode.TEST,
                StepAction.RUN,
                prepare(
                    """
        name: p
        components:
          - {name: config, target: %s}
        """
                        .formatted(dir.resolve("app")))),
            (c, d, t) -> {});

    assertThat(r.getSucceeded()).as(r.getMessage()).isTrue();
    ResolvedComponent config = ((PrepareOutcome) r.getOutcome()).getComponents().get(0);
    assertThat(config.getName()).isEqualTo("config");
    assertThat(config.getBackupId()).isEqualTo("b-1");
    assertThat(config.getTarget()).startsWith(scratch.toString());
  }

  @Test
  void restore_overAnOccupiedFolder_keepsTheOriginalAside_andTheCompensationPutsItBack()
      throws Exception {
    Path target = Files.createDirectories(dir.resolve("live"));
    Files.writeString(target.resolve("old.yaml"), "old\n");
    RecoveryStep step = restore(target.toString(), false);
    long[] progress = {0};

    RecoveryStepResult r =
        executor.execute(
            command(RecoveryMode.EXECUTE, StepAction.RUN, step), (c, d, t) -> progress[0] = d);

    assertThat(r.getSucceeded()).as(r.getMessage()).isTrue();
    assertThat(target.resolve("app.yaml")).hasContent("port: 8443\n");
    assertThat(target.resolve("old.yaml")).doesNotExist();
    assertThat(restored(r).getAside()).isNotNull();
    assertThat(progress[0]).isPositive();

    RecoveryStep done = reported(step, r);
    RecoveryStepResult undone =
        executor.execute(
            command(RecoveryMode.EXECUTE, StepAction.COMPENSATE, done), (c, d, t) -> {});

    assertThat(undone.getSucceeded()).as(undone.getMessage()).isTrue();
    try (Stream<Path> s = Files.list(target)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("old.yaml");
    }
  }

  @Test
  void aStepRedeliveredAfterTheExecutorDied_startsAgainFromTheOriginal_notFromItsOwnPartialWork()
      throws Exception {
    Path target = Files.createDirectories(dir.resolve("live"));
    Files.writeString(target.resolve("old.yaml"), "old\n");
    RecoveryStepCommand run =
        command(RecoveryMode.EXECUTE, StepAction.RUN, restore(target.toString(), false));
    // the first executor moves the original aside and writes, then dies before it finishes: its
    // journal says WRITING
    executor.execute(run, (c, d, t) -> {});
    StepJournal journalOfTheDead = new StepJournal(journal);
    StepJournal.Entry finished = journalOfTheDead.read("x-1", "restore:config").orElseThrow();
    journalOfTheDead.write("x-1", "restore:config", finished.with(StepJournal.WRITING));

    RecoveryStepExecutor restarted =
        new RecoveryStepExecutor(
            () -> repo,
            List::of,
            ProviderRegistry.of(new ConfigProvider(), new SecretsProvider()),
            scratch,
            journal,
            2,
            policy());
    RecoveryStepResult again = restarted.execute(run, (c, d, t) -> {});

    assertThat(again.getSucceeded()).as(again.getMessage()).isTrue();
    assertThat(again.getMessage()).contains("interrupted earlier attempt was undone first");
    assertThat(target.resolve("app.yaml")).hasContent("port: 8443\n");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.filter(p -> p.getFileName().toString().contains("aside")))
          .as("one original kept aside, not two")
          .hasSize(1);
    }
    RecoveryStepCommand undo =
        command(RecoveryMode.EXECUTE, StepAction.COMPENSATE, reported(run.getStep(), again));
    assertThat(restarted.execute(undo, (c, d, t) -> {}).getSucceeded()).isTrue();
    try (Stream<Path> s = Files.list(target)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .as("the real original is back")
          .containsExactly("old.yaml");
    }
    // the compensation redelivered (its executor died before sending the result) is not run twice
    RecoveryStepResult twice =
        new RecoveryStepExecutor(
                () -> repo,
                List::of,
                ProviderRegistry.of(new ConfigProvider(), new SecretsProvider()),
                scratch,
                journal,
                2,
                policy())
            .execute(undo, (c, d, t) -> {});
    assertThat(twice.getSucceeded()).as(twice.getMessage()).isTrue();
    assertThat(target.resolve("old.yaml")).hasContent("old\n");
  }

  @Test
  void aStepRedeliveredAfterItFinished_answersFromTheJournal_withoutRestoringAgain()
      throws Exception {
    Path target = Files.createDirectories(dir.resolve("live"));
    Files.writeString(target.resolve("old.yaml"), "old\n");
    RecoveryStepCommand run =
        command(RecoveryMode.EXECUTE, StepAction.RUN, restore(target.toString(), false));
    RecoveryStepResult first = executor.execute(run, (c, d, t) -> {});
    Files.writeString(target.resolve("written-after.txt"), "the restore is not run twice\n");

    RecoveryStepResult again =
        new RecoveryStepExecutor(
                () -> repo,
                List::of,
                ProviderRegistry.of(new ConfigProvider()),
                scratch,
                journal,
                2,
                policy())
            .execute(run, (c, d, t) -> {});

    assertThat(again.getSucceeded()).as(again.getMessage()).isTrue();
    assertThat(again.getMessage()).contains("already restored");
    assertThat(restored(again).getAside()).isEqualTo(restored(first).getAside());
    assertThat(target.resolve("written-after.txt")).exists();
  }

  @Test
  void aCompensationForATargetTheJournalDoesNotHold_isRefused_andTouchesNothing() throws Exception {
    Path victim = Files.createDirectories(dir.resolve("precious"));
    Files.writeString(victim.resolve("keep.txt"), "mine\n");
    // a forged compensation: a restore step this executor never ran, naming any folder
    RecoveryStepResult forged =
        executor.execute(
            command(RecoveryMode.EXECUTE, StepAction.COMPENSATE, restore(victim.toString(), true)),
            (c, d, t) -> {});

    assertThat(forged.getSucceeded()).isFalse();
    assertThat(forged.getMessage()).contains("refused").contains("journal holds no restore");
    assertThat(victim.resolve("keep.txt")).hasContent("mine\n");

    // and a real restore's compensation cannot be pointed at another folder
    Path target = Files.createDirectories(dir.resolve("live"));
    RecoveryStep step = restore(target.toString(), false);
    RecoveryStepResult r =
        executor.execute(command(RecoveryMode.EXECUTE, StepAction.RUN, step), (c, d, t) -> {});
    assertThat(r.getSucceeded()).as(r.getMessage()).isTrue();
    RecoveryStep redirected =
        RecoveryStep.newBuilder(reported(step, r))
            .setSpec(
                RestoreStepSpec.newBuilder((RestoreStepSpec) step.getSpec())
                    .setTarget(victim.toString())
                    .build())
            .build();
    assertThat(
            executor
                .execute(
                    command(RecoveryMode.EXECUTE, StepAction.COMPENSATE, redirected),
                    (c, d, t) -> {})
                .getSucceeded())
        .isFalse();
    assertThat(victim.resolve("keep.txt")).hasContent("mine\n");
  }

  @Test
  void compensation_refusesToDropTheRestoredData_whenTheOriginalIsGone() throws Exception {
    Path target = Files.createDirectories(dir.resolve("live"));
    Files.writeString(target.resolve("old.yaml"), "old\n");
    RecoveryStep step = restore(target.toString(), false);
    RecoveryStepResult r =
        executor.execute(command(RecoveryMode.EXECUTE, StepAction.RUN, step), (c, d, t) -> {});
    Path kept = Path.of(restored(r).getAside().getLocation());
    try (Stream<Path> s = Files.walk(kept)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }

    RecoveryStepResult undone =
        executor.execute(
            command(RecoveryMode.EXECUTE, StepAction.COMPENSATE, reported(step, r)),
            (c, d, t) -> {});

    assertThat(undone.getSucceeded()).isFalse();
    assertThat(undone.getMessage()).contains("no longer at");
    assertThat(target.resolve("app.yaml")).hasContent("port: 8443\n");
  }

  @Test
  void aScratchRestore_isRemovedEntirelyByItsCompensation() throws Exception {
    Path target = scratch.resolve("x1/config");
    RecoveryStep step = restore(target.toString(), true);
    RecoveryStepResult r =
        executor.execute(command(RecoveryMode.TEST, StepAction.RUN, step), (c, d, t) -> {});
    assertThat(r.getSucceeded()).as(r.getMessage()).isTrue();
    assertThat(target.resolve("app.yaml")).exists();

    RecoveryStepResult undone =
        executor.execute(
            command(RecoveryMode.TEST, StepAction.COMPENSATE, reported(step, r)), (c, d, t) -> {});

    assertThat(undone.getSucceeded()).as(undone.getMessage()).isTrue();
    assertThat(scratch.resolve("x1")).doesNotExist();
  }

  @Test
  void aCommandCheck_seesTheTargets_andItsExitCodeDecides() throws Exception {
    Path target = Files.createDirectories(dir.resolve("checked"));
    Files.writeString(target.resolve("app.yaml"), "x");
    RecoveryStep pass = check(target, "test -s \"$LIFEBOAT_TARGET_CONFIG/app.yaml\"");
    RecoveryStep fail = check(target, "test -s \"$LIFEBOAT_TARGET_CONFIG/missing.yaml\"");

    assertThat(
            executor
                .execute(command(RecoveryMode.EXECUTE, StepAction.RUN, pass), (c, d, t) -> {})
                .getSucceeded())
        .isTrue();
    RecoveryStepResult failed =
        executor.execute(command(RecoveryMode.EXECUTE, StepAction.RUN, fail), (c, d, t) -> {});
    assertThat(failed.getSucceeded()).isFalse();
    assertThat(failed.getMessage()).contains("exit");
  }

  static RecoveryStep check(Path target, String command) {
    CheckStepSpec spec =
        CheckStepSpec.newBuilder()
            .setCheck(PlanEvents.check(RecoveryPlanSpec.Check.command("c", List.of(command))))
            .setTargets(Map.of("config", target.toString()))
            .setKinds(Map.of("config", "config"))
            .build();
    return RecoveryStep.newBuilder().setStepId("check:c").setSpec(spec).build();
  }
}
