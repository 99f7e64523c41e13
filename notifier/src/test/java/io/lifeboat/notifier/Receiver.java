package io.lifeboat.notifier;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server that takes webhook POSTs: it answers 503 to the first {@code failFirst}
 * requests (a receiver that is down at first), then 200, and keeps every body it accepted.
 */
public final class Receiver implements AutoCloseable {

  public record Received(String path, String body) {}

  private final HttpServer server;
  private final AtomicInteger refusals;
  public final List<Received> accepted = new CopyOnWriteArrayList<>();
  public final AtomicInteger requests = new AtomicInteger();

  public Receiver(int failFirst) throws IOException {
    this.refusals = new AtomicInteger(failFirst);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int status = refusals.getAndDecrement() > 0 ? 503 : 200;
          if (status == 200) {
            accepted.add(new Received(exchange.getRequestURI().getPath(), body));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
