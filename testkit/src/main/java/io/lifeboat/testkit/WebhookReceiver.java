package io.lifeboat.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real HTTP server that takes webhook POSTs, for notification tests. It answers 503 (a receiver
 * that is down) to the requests its {@code refuse} test selects, 200 to the others, and keeps every
 * body, accepted and refused.
 */
public final class WebhookReceiver implements AutoCloseable {

  public record Received(String path, String body) {}

  private final HttpServer server;
  private volatile Predicate<String> refuse;
  public final List<Received> accepted = new CopyOnWriteArrayList<>();
  public final List<Received> refused = new CopyOnWriteArrayList<>();
  public final AtomicInteger requests = new AtomicInteger();

  /** A receiver that refuses the first {@code failFirst} requests, then takes every one. */
  public WebhookReceiver(int failFirst) throws IOException {
    this(firstN(failFirst));
  }

  /** A receiver that refuses the requests whose body {@code refuse} selects (until changed). */
  public WebhookReceiver(Predicate<String> refuse) throws IOException {
    this.refuse = refuse;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Received r = new Received(exchange.getRequestURI().getPath(), body);
          boolean no = this.refuse.test(body);
          (no ? refused : accepted).add(r);
          exchange.sendResponseHeaders(no ? 503 : 200, -1);
          exchange.close();
        });
    server.start();
  }

  private static Predicate<String> firstN(int n) {
    AtomicInteger left = new AtomicInteger(n);
    return body -> left.getAndDecrement() > 0;
  }

  /** From now on, takes every request. */
  public void up() {
    refuse = body -> false;
  }

  /** The bodies accepted that contain {@code text}. */
  public List<String> acceptedContaining(String text) {
    return accepted.stream().map(Received::body).filter(b -> b.contains(text)).toList();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
