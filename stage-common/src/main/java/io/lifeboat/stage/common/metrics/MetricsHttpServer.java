package io.lifeboat.stage.common.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The Prometheus scrape endpoint of a stage that runs without a web server (the dump,
 * compress-encrypt, upload and verify stages as their own services): {@code GET
 * /actuator/prometheus} on its own small HTTP server, read-only. {@code lifeboat up} does not use
 * it: there every series is on the API port.
 */
public final class MetricsHttpServer implements AutoCloseable {

  private final @Nullable HttpServer server;

  private MetricsHttpServer() {
    this.server = null;
  }

  /** None: the endpoint is turned off. */
  public static MetricsHttpServer off() {
    return new MetricsHttpServer();
  }

  public MetricsHttpServer(String bind, int port, Supplier<String> scrape) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
    this.server = server;
    server.createContext(
        "/actuator/prometheus",
        exchange -> {
          try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
  }

  /** The port it listens on (useful when configured as 0); -1 when off. */
  public int port() {
    return server == null ? -1 : server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }
}
