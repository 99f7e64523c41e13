package io.lifeboat.model;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Queries the catalog API over HTTP. Thread-safe. */
public final class CatalogClient {

  static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final URI base;
  private final HttpClient http;

  private final @Nullable String token;

  public CatalogClient(String baseUrl) {
    this(baseUrl, null);
  }

  /**
   * @param token sent as {@code Authorization: Bearer} (a catalog in roles mode asks for one on
   *     reads too); null or blank for none
   */
  public CatalogClient(String baseUrl, @Nullable String token) {
    this.base =
        URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    this.token = token == null || token.isBlank() ? null : token.strip();
  }

  public List<BackupView> list(CatalogQuery query) {
    String body = fetch("/api/backups" + query.toQueryString()).orElse("[]");
    try {
      return JSON.readValue(body, new TypeReference<List<BackupView>>() {});
    } catch (JacksonException e) {
      throw new LifeboatClientException(
          "unreadable answer from the catalog: " + e.getOriginalMessage(), 0, e);
    }
  }

  public Optional<BackupView> get(String backupId) {
    return fetch(
            "/api/backups/"
                + java.net.URLEncoder.encode(backupId, java.nio.charset.StandardCharsets.UTF_8))
        .map(
            body -> {
              try {
                return JSON.readValue(body, BackupView.class);
              } catch (JacksonException e) {
                throw new LifeboatClientException(
                    "unreadable answer from the catalog: " + e.getOriginalMessage(), 0, e);
              }
            });
  }

  /** The catalog's summary of backups, restores and recoveries ({@code GET /api/metrics}). */
  public MetricsView metrics() {
    String body =
        fetch("/api/metrics")
            .orElseThrow(
                () ->
                    new LifeboatClientException(
                        "the catalog at " + base + " has no /api/metrics: is it older?",
                        404,
                        null));
    try {
      return JSON.readValue(body, MetricsView.class);
    } catch (JacksonException e) {
      throw new LifeboatClientException(
          "unreadable answer from the catalog: " + e.getOriginalMessage(), 0, e);
    }
  }

  /** Backups by status, bytes, ratios and the recovery point of every backup name. */
  public MetricsView.BackupMetrics getBackupMetrics() {
    return metrics().backups();
  }

  /** Restores run by recoveries and recovery tests: counts, bytes, durations. */
  public MetricsView.RestoreMetrics getRestoreMetrics() {
    return metrics().restores();
  }

  /** Recovery executions by mode and status, and each plan's last measured RTO. */
  public MetricsView.RecoveryMetrics getRecoveryMetrics() {
    return metrics().recoveries();
  }

  /** What went wrong, for a message: some I/O exceptions carry no message of their own. */
  static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within 10 s";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Body of a 200 answer, empty on 404; waits while the catalog answers 503 (loading). */
  private Optional<String> fetch(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    HttpRequest request = builder.build();
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new LifeboatClientException(
            "cannot reach the catalog at " + base + " (is `lifeboat up` running?): " + describe(e),
            0,
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LifeboatClientException("interrupted", 0, e);
      }
      switch (response.statusCode()) {
        case 200:
          return Optional.of(response.body());
        case 404:
          return Optional.empty();
        case 503:
          if (attempt < 30) {
            sleep(retryAfter(response));
            continue;
          }
          throw new LifeboatClientException(
              "the catalog is still loading; try again shortly", 503, null);
        default:
          throw new LifeboatClientException(
              "catalog answered " + response.statusCode() + ": " + response.body(),
              response.statusCode(),
              null);
      }
    }
  }

  private static long retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(
            v -> {
              try {
                return Long.parseLong(v) * 1000;
              } catch (NumberFormatException e) {
                return 1000L;
              }
            })
        .orElse(1000L);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(Math.min(ms, 5000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
