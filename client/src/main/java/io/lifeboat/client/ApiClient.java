package io.lifeboat.client;

import io.lifeboat.model.LifeboatClientException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator's HTTP API: reads, and the calls that change something (with the API token).
 * Errors become {@link LifeboatClientException}s carrying the HTTP status and the API's own
 * message.
 */
final class ApiClient {

  static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final URI base;
  private final @Nullable String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  ApiClient(String baseUrl, @Nullable String token) {
    this.base =
        URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    this.token = token;
  }

  static String encode(String pathPart) {
    return URLEncoder.encode(pathPart, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The answer to a GET, empty on 404. */
  <T> Optional<T> get(String path, TypeReference<T> type) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path)
        .map(body -> read(body, type));
  }

  /** POSTs a JSON body (or none) and returns the answer. */
  JsonNode post(String path, @Nullable Object body) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    return send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(publisher),
            path)
        .map(b -> b.isBlank() ? JSON.createObjectNode() : read(b, new TypeReference<JsonNode>() {}))
        .orElseThrow(() -> new LifeboatClientException("not found: " + path, 404, null));
  }

  void delete(String path) {
    if (send(HttpRequest.newBuilder(base.resolve(path)).DELETE(), path).isEmpty()) {
      throw new LifeboatClientException("not found: " + path, 404, null);
    }
  }

  private Optional<String> send(HttpRequest.Builder request, String path) {
    request.timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpRequest built = request.build();
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = http.send(built, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new LifeboatClientException(
            "cannot reach the Lifeboat API at "
                + base
                + " (is `lifeboat up` running?): "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
            0,
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LifeboatClientException("interrupted", 0, e);
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return Optional.of(response.body());
      }
      if (status == 404 && "GET".equals(built.method())) {
        return Optional.empty();
      }
      if (status == 503 && attempt < 30) {
        sleep(1000);
        continue;
      }
      throw new LifeboatClientException(
          built.method() + " " + path + " answered " + status + ": " + error(response.body()),
          status,
          null);
    }
  }

  /** The API's {"error": ...} (and problems), or the body as it is. */
  private static String error(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.has("error")) {
        String e = n.get("error").asString();
        if (n.has("problems")) {
          e += ": " + n.get("problems");
        }
        return e;
      }
    } catch (JacksonException e) {
      // not JSON: say it as it came
    }
    return body.length() > 500 ? body.substring(0, 500) + "..." : body;
  }

  private static <T> T read(String body, TypeReference<T> type) {
    try {
      return JSON.readValue(body, type);
    } catch (JacksonException e) {
      throw new LifeboatClientException(
          "unreadable answer from the Lifeboat API: " + e.getOriginalMessage(), 0, e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatClientException("interrupted", 0, e);
    }
  }
}
