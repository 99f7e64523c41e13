package io.lifeboat.cli;

import io.lifeboat.cli.allinone.AllInOne;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lifeboat up}: the embedded default, running until interrupted. */
@Command(
    name = "up",
    description =
        "Run everything in this process: an embedded Kafka broker, every stage, the catalog API.")
final class UpCommand implements Callable<Integer> {

  @Mixin CliSettings settings;

  @Option(
      names = "--external-kafka",
      description = "Use the Kafka at --bootstrap / LIFEBOAT_BOOTSTRAP instead of starting one")
  boolean externalKafka;

  /**
   * How long a clean stop may take before {@code up} stops anyway (SIGTERM answers within 15 s).
   */
  static final java.time.Duration STOP_WITHIN = java.time.Duration.ofSeconds(12);

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    AllInOne.Options options =
        new AllInOne.Options(
            settings.home(),
            settings.repository(),
            settings.replicas(),
            settings.keyFile(),
            settings.kafkaPort(),
            settings.apiPort(),
            externalKafka ? settings.bootstrap() : null,
            Map.of());
    AllInOne lifeboat = AllInOne.start(options, out);
    lifeboat.superviseBroker(out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // a clean stop, bounded: with the broker gone, clients can wait on it for long
                  Thread closing = new Thread(lifeboat::close, "lifeboat-close");
                  closing.setDaemon(true);
                  closing.start();
                  try {
                    closing.join(STOP_WITHIN.toMillis());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  if (closing.isAlive()) {
                    System.err.println(
                        "lifeboat: stopping took longer than "
                            + STOP_WITHIN.toSeconds()
                            + " s; stopping now");
                    lifeboat.killBroker();
                    Runtime.getRuntime().halt(ExitCodes.ERROR);
                  }
                  stopped.countDown();
                },
                "lifeboat-shutdown"));
    out.println();
    out.println("Lifeboat is up.");
    out.println("  Kafka       " + lifeboat.bootstrapServers());
    out.println("  dashboard   " + lifeboat.apiUrl() + "/");
    out.println("  catalog API " + lifeboat.apiUrl() + "/api/backups");
    out.println("  metrics     " + lifeboat.apiUrl() + "/actuator/prometheus");
    out.println("  repository  " + settings.repository());
    out.println("  key file    " + settings.keyFile());
    out.println("Back up a folder with:  ./lifeboat backup files:/path/to/folder --wait");
    out.println("Press Ctrl-C to stop.");
    stopped.await();
    return ExitCodes.OK;
  }
}
