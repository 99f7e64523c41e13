package io.lifeboat.notifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs each notification as JSON: either Lifeboat's own document ({@link Format#JSON}: kind,
 * severity, subject, title, text, labels, time) or Slack's incoming-webhook form ({@link
 * Format#SLACK}: {@code {"text": ...}}, which Mattermost, Rocket.Chat and Teams' Slack-compatible
 * hooks also take). Any 2xx answer is a delivery; anything else, or no answer within the timeout,
 * is a failure that names the channel and the HTTP status, never the URL (it often holds a token).
 */
public final class WebhookChannel implements Channel {

  public enum Format {
    JSON,
    SLACK
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String name;
  private final URI url;
  private final Format format;
  private final Duration timeout;
  private final HttpClient http;

  public WebhookChannel(String name, URI url, Format format, Duration timeout) {
    this.name = name;
    this.url = url;
    this.format = format;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public String name() {
    return name;
  }

  static String body(Notification n, Format format) {
    if (format == Format.SLACK) {
      String icon =
          switch (n.severity()) {
            case "CRITICAL" -> ":rotating_light:";
            case "WARNING" -> ":warning:";
            default -> ":white_check_mark:";
          };
      return JSON.writeValueAsString(Map.of("text", icon + " *" + n.title() + "*\n" + n.text()));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("source", "lifeboat");
    doc.put("kind", n.kind());
    doc.put("severity", n.severity());
    doc.put("subject", n.subject());
    doc.put("title", n.title());
    doc.put("text", n.text());
    doc.put("labels", n.labels());
    doc.put("time", n.time().toString());
    return JSON.writeValueAsString(doc);
  }

  @Override
  public void send(Notification n, List<String> recipients) throws DeliveryException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "lifeboat-notifier")
            .POST(HttpRequest.BodyPublishers.ofString(body(n, format)))
            .build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new DeliveryException(
          "webhook " + name + " could not be reached (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("webhook " + name + ": interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      throw new DeliveryException("webhook " + name + " answered HTTP " + response.statusCode());
    }
  }
}
