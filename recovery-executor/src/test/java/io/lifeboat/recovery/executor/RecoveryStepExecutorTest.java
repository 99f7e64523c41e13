package io.lifeboat.recovery.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.core.testing.DirectBackup;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoveryStepCommand;
import io.lifeboat.events.RecoveryStepResult;
import io.lifeboat.events.RecoverySteps;
import io.lifeboat.events.StepAction;
import io.lifeboat.provider.files.ConfigProvider;
import io.lifeboat.provider.files.SecretsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recovery steps as plain Java: a command in, a result out, against a real repository and real folders. */
class RecoveryStepExecutorTest {

  @TempDir Path dir;
  Repository repo;
  RecoveryStepExecutor executor;
  Path scratch;

  @BeforeEach
  void backup() throws Exception {
    repo = Repository.init(new MemBackend(UUID.randomUUID().toString()), MasterKey.generate(), new ChunkerParams(4096, 16384, 65536, 5L));
    Path config = Files.createDirectories(dir.resolve("src/config"));
    Files.writeString(config.resolve("app.yaml"), "port: 8443\n");
    DirectBackup.run(repo, new ConfigProvider(), "config:" + config, "b-1");
    scratch = dir.resolve("scratch");
    executor = new RecoveryStepExecutor(() -> repo, List::of, ProviderRegistry.of(new ConfigProvider(), new SecretsProvider()), scratch, 2);
  }

  static RecoveryStepCommand command(RecoveryMode mode, StepAction action, RecoveryStep step) {
    return RecoveryStepCommand.newBuilder()
        .setEnvelope(Envelopes.next("x-1")).setExecutionId("x-1").setCommandId(UUID.randomUUID().toString())
        .setMode(mode).setAction(action).setStep(step).build();
  }

  static RecoveryStep prepare(String planYaml) {
    return RecoveryStep.newBuilder().setStepId("prepare").setKind(RecoverySteps.PREPARE)
        .setParameters(Map.of(RecoverySteps.PLAN, io.lifeboat.model.RecoveryPlanSpec.parse(planYaml).toJson())).build();
  }

  static RecoveryStep restore(String target, boolean scratch) {
    Map<String, String> p = new HashMap<>();
    p.put(RecoverySteps.COMPONENT, "config");
    p.put(RecoverySteps.KIND, "config");
    p.put(RecoverySteps.BACKUP_ID, "b-1");
    p.put(RecoverySteps.TARGET, target);
    p.put(RecoverySteps.OCCUPIED, scratch ? "refuse" : "replace");
    p.put(RecoverySteps.SCRATCH, Boolean.toString(scratch));
    p.put(RecoverySteps.SIZE_BYTES, "11");
    return RecoveryStep.newBuilder().setStepId("restore:config").setKind(RecoverySteps.RESTORE).setComponent("config")
        .setCompensable(true).setParameters(p).build();
  }

  @Test
  void prepare_listsEveryProblem_andChangesNothing() {
    Path occupied = dir.resolve("occupied");
    RecoveryStepResult r = executor.execute(command(RecoveryMode.EXECUTE, StepAction.RUN, prepare("""
        name: p
        components:
          - {name: config, target: %s, ifExists: refuse}
          - {name: ghost, target: %s}
        checks:
          - {name: q, sql: select 1, component: config, expect: "1"}
        """.formatted(dir.resolve("src/config"), occupied))), (c, d, t) -> {});

    assertThat(r.getSucceeded()).isFalse();
    assertThat(r.getProblems()).hasSize(3)
        .anyMatch(p -> p.contains("component config") && p.contains("is not empty") && p.contains("ifExists: replace"))
        .anyMatch(p -> p.contains("component ghost: no verified backup holds it"))
        .anyMatch(p -> p.contains("check q"));
    assertThat(occupied).doesNotExist();
  }

  @Test
  void prepare_resolvesTheBackup_andATestGetsAScratchFolder() {
    RecoveryStepResult r = executor.execute(command(RecoveryMode.TEST, StepAction.RUN, prepare("""
        name: p
        components:
          - {name: config, target: /etc/app}
        """)), (c, d, t) -> {});

    assertThat(r.getSucceeded()).as(r.getMessage()).isTrue();
    assertThat(r.getOutputs()).containsEntry(RecoverySteps.componentOutput("config", "backupId"), "b-1");
    assertThat(r.getOutputs().get(RecoverySteps.componentOutput("config", "target"))).startsWith(scratch.toString());
  }

  @Test
  void restore_overAnOccupiedFolder_keepsTheOriginalAside_andTheCompensationPutsItBack() throws Exception {
    Path target = Files.createDirectories(dir.resolve("live"));
    Files.writeString(target.resolve("old.yaml"), "old\n");
    RecoveryStep step = restore(target.toString(), false);
    long[] progress = {0};

    RecoveryStepResult r = executor.execute(command(RecoveryMode.EXECUTE, StepAction.RUN, step), (c, d, t) -> progress[0] = d);

    assertThat(r.getSucceeded()).as(r.getMessage()).isTrue();
    assertThat(target.resolve("app.yaml")).hasContent("port: 8443\n");
    assertThat(target.resolve("old.yaml")).doesNotExist();
    assertThat(r.getOutputs()).containsKey(RecoverySteps.ASIDE);
    assertThat(progress[0]).isPositive();

    RecoveryStep done = RecoveryStep.newBuilder(step).setOutputs(r.getOutputs()).build();
    RecoveryStepResult undone = executor.execute(command(RecoveryMode.EXECUTE, StepAction.COMPENSATE, done), (c, d, t) -> {});

    assertThat(undone.getSucceeded()).as(undone.getMessage()).isTrue();
    try (Stream<Path> s = Files.list(target)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("old.yaml");
    }
  }

  @Test
  void aStepRedeliveredAfterTheExecutorDied_startsAgainFromTheOriginal_notFromItsOwnPartialWork() throws Exception {
    Path target = Files.createDirectories(dir.resolve("live"));
    Files.writeString(target.resolve("old.yaml"), "old\n");
    RecoveryStepCommand run = command(RecoveryMode.EXECUTE, StepAction.RUN, restore(target.toString(), false));
    // the first executor restores, then dies before its result is sent (so before forget)
    executor.execute(run, (c, d, t) -> {});

    RecoveryStepExecutor restarted = new RecoveryStepExecutor(() -> repo, List::of,
        ProviderRegistry.of(new ConfigProvider(), new SecretsProvider()), scratch, 2);
    RecoveryStepResult again = restarted.execute(run, (c, d, t) -> {});

    assertThat(again.getSucceeded()).as(again.getMessage()).isTrue();
    assertThat(again.getMessage()).contains("interrupted earlier attempt was undone first");
    assertThat(target.resolve("app.yaml")).hasContent("port: 8443\n");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.filter(p -> p.getFileName().toString().contains("aside"))).as("one original kept aside, not two").hasSize(1);
    }
    RecoveryStepCommand undo = command(RecoveryMode.EXECUTE, StepAction.COMPENSATE,
        RecoveryStep.newBuilder(run.getStep()).setOutputs(again.getOutputs()).build());
    assertThat(restarted.execute(undo, (c, d, t) -> {}).getSucceeded()).isTrue();
    try (Stream<Path> s = Files.list(target)) {
      assertThat(s.map(p -> p.getFileName().toString())).as("the real original is back").containsExactly("old.yaml");
    }
    // the compensation redelivered (its executor died before sending the result) is not run twice
    RecoveryStepResult twice = new RecoveryStepExecutor(() -> repo, List::of,
        ProviderRegistry.of(new ConfigProvider(), new SecretsProvider()), scratch, 2).execute(undo, (c, d, t) -> {});
    assertThat(twice.getSucceeded()).as(twice.getMessage()).isTrue();
    assertThat(target.resolve("old.yaml")).hasContent("old\n");
  }

  @Test
  void compensation_refusesToDropTheRestoredData_whenTheOriginalIsGone() throws Exception {
    Path target = Files.createDirectories(dir.resolve("live"));
    Files.writeString(target.resolve("old.yaml"), "old\n");
    RecoveryStep step = restore(target.toString(), false);
    RecoveryStepResult r = executor.execute(command(RecoveryMode.EXECUTE, StepAction.RUN, step), (c, d, t) -> {});
    String aside = r.getOutputs().get(RecoverySteps.ASIDE);
    Path kept = Path.of(tools.jackson.databind.json.JsonMapper.builder().build().readTree(aside).get("location").asString());
    try (Stream<Path> s = Files.walk(kept)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }

    RecoveryStepResult undone = executor.execute(command(RecoveryMode.EXECUTE, StepAction.COMPENSATE,
        RecoveryStep.newBuilder(step).setOutputs(r.getOutputs()).build()), (c, d, t) -> {});

    assertThat(undone.getSucceeded()).isFalse();
    assertThat(undone.getMessage()).contains("no longer at");
    assertThat(target.resolve("app.yaml")).hasContent("port: 8443\n");
  }

  @Test
  void aScratchRestore_isRemovedEntirelyByItsCompensation() throws Exception {
    Path target = scratch.resolve("x1/config");
    RecoveryStep step = restore(target.toString(), true);
    RecoveryStepResult r = executor.execute(command(RecoveryMode.TEST, StepAction.RUN, step), (c, d, t) -> {});
    assertThat(r.getSucceeded()).as(r.getMessage()).isTrue();
    assertThat(target.resolve("app.yaml")).exists();

    RecoveryStepResult undone = executor.execute(command(RecoveryMode.TEST, StepAction.COMPENSATE,
        RecoveryStep.newBuilder(step).setOutputs(r.getOutputs()).build()), (c, d, t) -> {});

    assertThat(undone.getSucceeded()).as(undone.getMessage()).isTrue();
    assertThat(scratch.resolve("x1")).doesNotExist();
  }

  @Test
  void aCommandCheck_seesTheTargets_andItsExitCodeDecides() throws Exception {
    Path target = Files.createDirectories(dir.resolve("checked"));
    Files.writeString(target.resolve("app.yaml"), "x");
    String targets = "{\"config\":\"" + target + "\"}";
    RecoveryStep pass = RecoveryStep.newBuilder().setStepId("check:c").setKind(RecoverySteps.CHECK).setParameters(Map.of(
        RecoverySteps.CHECK_SPEC, "{\"name\":\"c\",\"command\":[\"test -s \\\"$LIFEBOAT_TARGET_CONFIG/app.yaml\\\"\"]}",
        RecoverySteps.TARGETS, targets)).build();
    RecoveryStep fail = RecoveryStep.newBuilder(pass).setParameters(Map.of(
        RecoverySteps.CHECK_SPEC, "{\"name\":\"c\",\"command\":[\"test -s \\\"$LIFEBOAT_TARGET_CONFIG/missing.yaml\\\"\"]}",
        RecoverySteps.TARGETS, targets)).build();

    assertThat(executor.execute(command(RecoveryMode.EXECUTE, StepAction.RUN, pass), (c, d, t) -> {}).getSucceeded()).isTrue();
    RecoveryStepResult failed = executor.execute(command(RecoveryMode.EXECUTE, StepAction.RUN, fail), (c, d, t) -> {});
    assertThat(failed.getSucceeded()).isFalse();
    assertThat(failed.getMessage()).contains("exit");
  }
}
