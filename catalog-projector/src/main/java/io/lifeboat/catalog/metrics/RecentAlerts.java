package io.lifeboat.catalog.metrics;

import io.lifeboat.events.Alert;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The newest alerts this catalog instance saw, for the dashboard's feed ({@code GET /api/alerts}).
 * In memory, since this process started: the alert topic itself is the history.
 */
public final class RecentAlerts {

  /** One alert as the API shows it. */
  public record AlertView(
      Instant time,
      String severity,
      String kind,
      String subject,
      String message,
      Map<String, String> labels) {}

  private final int capacity;
  private final Deque<AlertView> alerts = new ArrayDeque<>();

  public RecentAlerts(int capacity) {
    this.capacity = capacity;
  }

  public void onEvent(SpecificRecord event) {
    if (event instanceof Alert a) {
      AlertView v =
          new AlertView(
              a.getEnvelope().getTime(),
              a.getSeverity().name(),
              a.getKind(),
              a.getSubject(),
              a.getMessage(),
              Map.copyOf(a.getLabels()));
      synchronized (alerts) {
        alerts.addFirst(v);
        while (alerts.size() > capacity) {
          alerts.removeLast();
        }
      }
    }
  }

  /** Newest first. */
  public List<AlertView> newest(int limit) {
    synchronized (alerts) {
      return new ArrayList<>(alerts).subList(0, Math.min(limit, alerts.size()));
    }
  }
}
