package io.lifeboat.catalog.web;

import io.lifeboat.catalog.metrics.RecentAlerts;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/alerts?limit=}: the newest alerts this catalog saw since it started. */
@RestController
public class AlertController {

  private final RecentAlerts alerts;

  public AlertController(RecentAlerts alerts) {
    this.alerts = alerts;
  }

  @GetMapping("/api/alerts")
  public List<RecentAlerts.AlertView> alerts(
      @RequestParam(required = false, defaultValue = "50") int limit) {
    return alerts.newest(Math.max(0, Math.min(limit, 500)));
  }
}
