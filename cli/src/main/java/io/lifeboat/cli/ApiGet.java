package io.lifeboat.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** GET on the Lifeboat API: the JSON answer, empty on 404, waiting while it answers 503. */
final class ApiGet {

  private ApiGet() {}

  static Optional<JsonNode> get(CliSettings settings, String path) throws CliException {
    return get(settings.api(), path, settings.apiToken());
  }

  static Optional<JsonNode> get(String api, String path, @Nullable String token)
      throws CliException {
    URI uri = URI.create((api.endsWith("/") ? api.substring(0, api.length() - 1) : api) + path);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> r;
      try {
        r =
            http.send(
                authorized(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET(), token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.ERROR,
            "cannot reach the Lifeboat API at "
                + api
                + " (is `lifeboat up` running?): "
                + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCodes.ERROR, "interrupted");
      }
      if (r.statusCode() == 503 && attempt < 30) {
        sleep();
        continue;
      }
      if (r.statusCode() == 404) {
        return Optional.empty();
      }
      JsonNode body = Json.MAPPER.readTree(r.body());
      if (r.statusCode() != 200) {
        throw new CliException(
            ExitCodes.ERROR,
            "the API answered "
                + r.statusCode()
                + ": "
                + (body.has("error") ? body.get("error").asString() : r.body()));
      }
      return Optional.of(body);
    }
  }

  /**
   * POST (no body) with the settings' token: the status and the JSON answer, whatever the status
   * (the caller says what each means).
   */
  static java.util.Map.Entry<Integer, JsonNode> post(CliSettings settings, String path)
      throws CliException {
    return post(settings, path, null);
  }

  /**
   * POST with a JSON body (none when null) and the settings' token: the status and the JSON answer,
   * whatever the status.
   */
  static java.util.Map.Entry<Integer, JsonNode> post(
      CliSettings settings, String path, @Nullable String json) throws CliException {
    String api = settings.api();
    URI uri = URI.create((api.endsWith("/") ? api.substring(0, api.length() - 1) : api) + path);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .POST(
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json));
      if (json != null) {
        request.header("Content-Type", "application/json");
      }
      HttpResponse<String> r =
          http.send(
              authorized(request, settings.apiToken()).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body =
            r.body() == null || r.body().isBlank()
                ? Json.MAPPER.createObjectNode()
                : Json.MAPPER.readTree(r.body());
      } catch (tools.jackson.core.JacksonException e) {
        body = Json.MAPPER.createObjectNode().put("error", r.body());
      }
      return java.util.Map.entry(r.statusCode(), body);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.ERROR, "cannot reach the Lifeboat API at " + api + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.ERROR, "interrupted");
    }
  }

  private static HttpRequest.Builder authorized(
      HttpRequest.Builder request, @Nullable String token) {
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
