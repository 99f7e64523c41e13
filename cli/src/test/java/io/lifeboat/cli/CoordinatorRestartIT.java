package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.cli.allinone.AllInOne;
import io.lifeboat.client.RecoveryManager;
import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.local.LocalBackend;
import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryStatus;
import io.lifeboat.events.StepAction;
import io.lifeboat.events.StepStatus;
import io.lifeboat.events.Topics;
import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.TestBroker;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The coordinator survives its own death mid-recovery: it runs as a separate JVM, is killed
 * (SIGKILL) while a step is running, comes back with the same state directory, and the plan
 * finishes without any step being sent twice.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CoordinatorRestartIT {

  static final String RUN = "lbrestart_" + UUID.randomUUID().toString().substring(0, 8);
  static AllInOne lifeboat;
  static Path home;
  static Path repoDir;
  static Path keyFile;
  static Process coordinator;
  static int coordinatorPort;

  @BeforeAll
  static void start() throws Exception {
    home = Files.createTempDirectory("lifeboat-restart");
    repoDir = home.resolve("repository");
    keyFile = home.resolve("key");
    MasterKey key = MasterKey.generate();
    key.writeTo(keyFile);
    Repository.init(new LocalBackend(repoDir, true), key, ChunkerParams.defaults(11L));
    // every stage and the executor here; the coordinator in its own process
    lifeboat =
        AllInOne.start(
            new AllInOne.Options(
                home,
                repoDir.toString(),
                List.of(),
                keyFile,
                0,
                0,
                TestBroker.bootstrapServers(),
                Map.of(
                    "lifeboat.catalog.application-id",
                    "catalog-" + RUN,
                    "lifeboat.recovery.executor.command-checks",
                    "true",
                    "lifeboat.recovery.coordinator.enabled",
                    "false")),
            System.out);
    coordinatorPort = FreePorts.next();
  }

  @AfterAll
  static void stop() throws Exception {
    if (coordinator != null) {
      coordinator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (lifeboat != null) {
      lifeboat.close();
    }
  }

  /** The coordinator application alone, in a child JVM with this test's classpath. */
  static Process startCoordinator(int generation) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.lifeboat.recovery.CoordinatorApplication",
                "--lifeboat.home=" + home,
                "--lifeboat.kafka.bootstrap-servers=" + TestBroker.bootstrapServers(),
                "--lifeboat.kafka.client.[session.timeout.ms]=6000",
                "--lifeboat.recovery.coordinator.application-id=coordinator-" + RUN,
                "--lifeboat.recovery.coordinator.catalog-url=" + lifeboat.apiUrl(),
                "--server.port=" + coordinatorPort,
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("coordinator-" + generation + ".log").toFile())
            .start();
    awaitApi(p);
    return p;
  }

  static void awaitApi(Process p) {
    HttpClient http = HttpClient.newHttpClient();
    Eventually.until(
        "the coordinator's API on port " + coordinatorPort,
        () -> {
          if (!p.isAlive()) {
            throw new AssertionError(
                "coordinator process exited; see " + home + File.separator + "coordinator-*.log");
          }
          return http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + coordinatorPort + "/api/plans"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode()
              == 200;
        });
  }

  static String[] cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--home",
            home.toString(),
            "--repo",
            repoDir.toString(),
            "--key-file",
            keyFile.toString(),
            "--bootstrap",
            TestBroker.bootstrapServers(),
            "--api",
            "http://127.0.0.1:" + coordinatorPort));
    return all.toArray(String[]::new);
  }

  static List<String> commandsOf(String executionId) {
    return RecoveryEvents.all(Topics.RECOVERY_COMMANDS).stream()
        .filter(c -> c.getExecutionId().equals(executionId))
        .map(c -> c.getAction() + " " + c.getStep().getStepId())
        .toList();
  }

  @Test
  void killedMidPlan_theCoordinatorResumes_andRepeatsNoFinishedStep() throws Exception {
    Path source =
        Files.createDirectories(
            Files.createTempDirectory("lifeboat-sources")
                .resolve(
                    "sources/etc/app")); // outside the home: the dump stage never reads Lifeboat's
    // home
    Files.writeString(source.resolve("app.yaml"), "port: 8443\n");
    Cli.Result b = Cli.run(cli("backup", "config:" + source, "--name", "app-" + RUN, "--wait"));
    assertThat(b.exit()).as(b.out() + b.err()).isZero();

    coordinator = startCoordinator(1);
    Path target = Files.createTempDirectory("lifeboat-restore").resolve("targets/config");
    Path plan = home.resolve("plan.yaml");
    Path gate =
        home.resolve(
            "slow-check-may-finish"); // the slow check runs until the test creates this file
    Files.writeString(
        plan,
        """
        name: restart-%s
        components:
          - name: config
            target: %s
        checks:
          - name: slow
            command: "while [ ! -e '%s' ]; do sleep 0.1; done"
          - name: after
            command: test -s "$LIFEBOAT_TARGET_CONFIG/app.yaml"
        """
            .formatted(RUN, target, gate));
    Cli.Result created = Cli.run(cli("plan", "create", plan.toString()));
    assertThat(created.out()).as(created.out() + created.err()).contains("saved");

    Cli.Result started = Cli.run(cli("recover", "restart-" + RUN, "--no-wait"));
    assertThat(started.exit()).as(started.out() + started.err()).isZero();
    String executionId = started.out().strip();

    // kill -9 while the slow check runs (it waits for the gate file)
    Eventually.until(
        "the slow check to be sent", () -> commandsOf(executionId).contains("RUN check:slow"));
    coordinator.destroyForcibly();
    assertThat(coordinator.waitFor(1, TimeUnit.MINUTES)).isTrue();
    // the check finishes without the coordinator: its result waits on the results topic
    Files.createFile(gate);
    Eventually.until(
        "the slow check's result on the results topic",
        () ->
            RecoveryEvents.all(Topics.RECOVERY_RESULTS).stream()
                .anyMatch(
                    r ->
                        r.getExecutionId().equals(executionId)
                            && r.getStepId().equals("check:slow")));
    assertThat(
            RecoveryEvents.all(Topics.RECOVERY_EXECUTIONS).stream()
                .filter(e -> e.getExecutionId().equals(executionId))
                .flatMap(e -> e.getSteps().stream())
                .filter(st -> st.getStepId().equals("check:slow"))
                .map(st -> st.getStatus()))
        .as("the coordinator was killed before it saw the check's result")
        .doesNotContain(StepStatus.SUCCEEDED);
    coordinator = startCoordinator(2);

    RecoveryExecution x;
    try (RecoveryManager m = new RecoveryManager(TestBroker.bootstrapServers(), Map.of())) {
      x = m.follow(executionId, Duration.ofMinutes(2), new RecoveryManager.Listener() {});
    }
    assertThat(x).as("no final state for " + executionId).isNotNull();
    assertThat(x.getStatus()).as(String.valueOf(x)).isEqualTo(RecoveryStatus.SUCCEEDED);
    assertThat(commandsOf(executionId))
        .containsExactly("RUN prepare", "RUN restore:config", "RUN check:slow", "RUN check:after");
    assertThat(
            RecoveryEvents.all(Topics.RECOVERY_COMMANDS).stream()
                .filter(
                    c ->
                        c.getExecutionId().equals(executionId)
                            && c.getAction() == StepAction.COMPENSATE))
        .isEmpty();
    assertThat(Files.readString(target.resolve("app.yaml"))).isEqualTo("port: 8443\n");
  }
}
