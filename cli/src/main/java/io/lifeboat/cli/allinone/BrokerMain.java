package io.lifeboat.cli.allinone;

import java.io.IOException;

/**
 * The embedded broker's main class: Kafka's own, plus a watch on the parent. The parent ({@code
 * lifeboat up}) holds the write end of this process's standard input; when the parent dies, however
 * it dies (kill -9 included), standard input ends and the broker stops cleanly, so it never
 * outlives {@code up} holding the ports.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) throws Exception {
    Thread watch =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // the parent never writes; a byte would only be noise
                }
              } catch (IOException e) {
                // the pipe broke: the parent is gone just the same
              }
              System.err.println(
                  "lifeboat: the process that started this broker is gone; stopping");
              System.exit(0); // runs Kafka's shutdown hook: a clean stop
            },
            "lifeboat-parent-watch");
    watch.setDaemon(true);
    watch.start();
    kafka.Kafka.main(args);
  }
}
