package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.FreePorts;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code lifeboat up} as an operator runs it, in its own JVM, and the process faults around it: the
 * broker child killed (up starts it again and keeps serving), {@code up} killed with -9 (the broker
 * does not outlive it and the next {@code up} starts), a hung broker at SIGTERM (up stops within 15
 * s anyway).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class UpProcessIT {

  Path home;
  int kafkaPort;
  int apiPort;
  Process up;

  @BeforeEach
  void ports() throws Exception {
    home = Files.createTempDirectory("lifeboat-up");
    kafkaPort = FreePorts.pair();
    apiPort = FreePorts.stable();
  }

  @AfterEach
  void stop() throws Exception {
    if (up != null && up.isAlive()) {
      up.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    brokerProcess().ifPresent(ProcessHandle::destroyForcibly);
  }

  /**
   * One {@code up} through its broker's faults in turn (each start costs half a minute): hung, then
   * killed, then hung again at SIGTERM.
   */
  @Test
  void aHungBroker_turnsReadinessDown_aKilledOneIsStartedAgain_andSigtermStopsUpWithin15Seconds()
      throws Exception {
    up = startUp("up-1.log");
    ProcessHandle first = brokerProcess().orElseThrow();
    readinessIsDownWhileTheBrokerDoesNotAnswer_andUpAgainAfter(first);

    first.destroyForcibly();

    ProcessHandle second =
        Eventually.await(
                "up to start a new broker after the first was killed",
                () -> brokerProcess().filter(ProcessHandle::isAlive),
                b -> b.isPresent() && b.get().pid() != first.pid())
            .orElseThrow();
    assertThat(second.isAlive()).isTrue();
    Eventually.until(
        "up's log to say the broker is running again",
        () -> Files.readString(home.resolve("up-1.log")).contains("running again"));
    assertThat(up.isAlive()).as("up keeps running").isTrue();
    long connectionWarnings =
        Files.readString(home.resolve("up-1.log"))
            .lines()
            .filter(l -> l.contains("NetworkClient"))
            .count();
    assertThat(connectionWarnings).as("Kafka connection warnings are rate-limited").isLessThan(5);
    // a backup request still goes through: the clients reconnected to the new broker
    Path source = Files.createTempDirectory(Path.of("/tmp"), "lifeboat-up-src");
    Files.writeString(source.resolve("a.txt"), "after the broker came back");
    Cli.Result backup =
        Cli.run(
            "backup",
            source.toString(),
            "--name",
            "after-crash",
            "--wait",
            "--timeout",
            "PT2M",
            "--home",
            home.toString(),
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--api-port",
            Integer.toString(apiPort));
    assertThat(backup.exit()).as(backup.out() + backup.err()).isZero();

    sigtermStopsWithin15Seconds_evenWithAHungBroker(second);
  }

  @Test
  void killedUp_takesItsBrokerWithIt_andTheNextUpStarts() throws Exception {
    up = startUp("up-1.log");
    ProcessHandle broker = brokerProcess().orElseThrow();

    up.destroyForcibly().waitFor(20, TimeUnit.SECONDS);

    Eventually.until(
        "the broker to stop once its parent was killed",
        Duration.ofSeconds(60),
        () -> !broker.isAlive());
    up = startUp("up-2.log");
    assertThat(up.isAlive()).isTrue();
  }

  void readinessIsDownWhileTheBrokerDoesNotAnswer_andUpAgainAfter(ProcessHandle broker)
      throws Exception {
    assertThat(readiness()).isEqualTo(200);

    signal("STOP", broker.pid());
    try {
      Eventually.until("readiness to turn DOWN (503)", () -> readiness() == 503);
    } finally {
      signal("CONT", broker.pid());
    }
    Eventually.until("readiness to turn UP again", () -> readiness() == 200);
  }

  int readiness() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + apiPort + "/actuator/health/readiness"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  void sigtermStopsWithin15Seconds_evenWithAHungBroker(ProcessHandle broker) throws Exception {
    signal("STOP", broker.pid()); // hung, not dead: up cannot tell, its clients just wait

    long start = System.nanoTime();
    up.destroy(); // SIGTERM
    boolean exited = up.waitFor(15, TimeUnit.SECONDS);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(exited).as("up exited within 15 s (took %d ms)", took).isTrue();
    Eventually.until("the hung broker to be killed", () -> !broker.isAlive());
  }

  Process startUp(String log) throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx768m",
            "-cp",
            System.getProperty("java.class.path"),
            Lifeboat.class.getName(),
            "up",
            "--home",
            home.toString(),
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--api-port",
            Integer.toString(apiPort));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve(log).toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    Eventually.until(
        "lifeboat up's API on port " + apiPort,
        Duration.ofSeconds(150),
        () -> {
          if (!p.isAlive()) {
            throw new AssertionError(
                "up exited: " + Files.readString(home.resolve(log)).lines().limit(60).toList());
          }
          try {
            return http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + apiPort + "/api/backups"))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200;
          } catch (java.io.IOException notYet) {
            return false;
          }
        });
    return p;
  }

  /** The broker child of this home, from its pid file. */
  Optional<ProcessHandle> brokerProcess() throws Exception {
    Path pid = home.resolve("kafka" + File.separator + "broker.pid");
    if (!Files.exists(pid)) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()));
  }

  static void signal(String sig, long pid) throws Exception {
    int rc = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor();
    assertThat(rc).as("kill -%s %d", sig, pid).isZero();
  }
}
