package io.lifeboat.client;

import io.lifeboat.events.EventCodec;
import io.lifeboat.events.TopicSpec;
import io.lifeboat.model.LifeboatClientException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;

/**
 * Sends requests through the coordinator's {@code POST /api/requests} with a bearer token: the API
 * checks the token's role, signs the record with who sent it and puts it on its topic (or holds it
 * for a second admin's approval). What roles mode needs: the services act only on signed requests.
 */
public final class ApiRequestSender implements RequestSender {

  private static final Pattern ERROR =
      Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\"\\s*:\\s*\"([^\"]+)\"");

  private final String baseUrl;
  private final @Nullable String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param baseUrl the API, e.g. http://127.0.0.1:8080
   * @param token the caller's token ({@code lifeboat token add}); null sends none (refused)
   */
  public ApiRequestSender(String baseUrl, @Nullable String token) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <V extends SpecificRecord> void send(TopicSpec<V> topic, String key, @Nullable V value) {
    String encoded =
        value == null
            ? "null"
            : "\""
                + Base64.getEncoder()
                    .encodeToString(((EventCodec) EventCodec.of(value.getClass())).encode(value))
                + "\"";
    String body =
        "{\"topic\":"
            + quote(topic.name())
            + ",\"key\":"
            + quote(key)
            + ",\"value\":"
            + encoded
            + "}";
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/requests"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new LifeboatClientException(
          "cannot reach the API at " + baseUrl + ": " + e.getMessage(), 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatClientException("interrupted", 0, e);
    }
    if (r.statusCode() == 202 && r.body().contains("PENDING_APPROVAL")) {
      Matcher m = REQUEST_ID.matcher(r.body());
      throw new LifeboatClientException(
          "held for a second admin's approval"
              + (m.find() ? ": request " + m.group(1) : "")
              + " (lifeboat approvals; lifeboat approve ID)",
          r.statusCode(),
          null);
    }
    if (r.statusCode() / 100 != 2) {
      Matcher m = ERROR.matcher(r.body());
      String why = m.find() ? m.group(1).replace("\\\"", "\"") : r.body();
      throw new LifeboatClientException(
          "the API refused the request (" + r.statusCode() + "): " + why, r.statusCode(), null);
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
