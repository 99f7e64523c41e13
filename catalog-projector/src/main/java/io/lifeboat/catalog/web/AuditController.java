package io.lifeboat.catalog.web;

import io.lifeboat.catalog.query.AuditFilter;
import io.lifeboat.catalog.query.CatalogQueryService;
import io.lifeboat.events.AuditEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/audit?actor=&action=&outcome=&target=&requestId=&since=&until=&limit=}: who
 * changed what through the API and what was refused, newest first (100 by default, at most 1000).
 * Times are ISO-8601 instants.
 */
@RestController
public class AuditController {

  private final CatalogQueryService catalog;

  public AuditController(CatalogQueryService catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/api/audit")
  public List<Map<String, Object>> audit(
      @RequestParam(required = false) @Nullable String actor,
      @RequestParam(required = false) @Nullable String action,
      @RequestParam(required = false) @Nullable String outcome,
      @RequestParam(required = false) @Nullable String target,
      @RequestParam(required = false) @Nullable String requestId,
      @RequestParam(required = false) @Nullable String since,
      @RequestParam(required = false) @Nullable String until,
      @RequestParam(required = false, defaultValue = "100") int limit) {
    AuditFilter filter =
        new AuditFilter(
            actor, action, outcome, target, requestId, instant(since), instant(until), limit);
    return catalog.audit(filter).stream().map(AuditController::view).toList();
  }

  private static @Nullable Instant instant(@Nullable String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(s.strip());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "since and until are ISO-8601 instants such as 2026-12-01T10:00:00Z, got '" + s + "'");
    }
  }

  static Map<String, Object> view(AuditEvent e) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("time", e.getEnvelope().getTime().toString());
    v.put("eventId", e.getEnvelope().getEventId());
    v.put("action", e.getAction());
    v.put("target", e.getTarget());
    v.put("outcome", e.getOutcome());
    v.put("actor", e.getActor());
    v.put("role", e.getRole());
    v.put("tokenId", e.getTokenId());
    v.put("authenticated", e.getAuthenticated());
    v.put("source", e.getSource());
    v.put("service", e.getService());
    v.put("method", e.getMethod());
    v.put("path", e.getPath());
    v.put("status", e.getStatus());
    v.put("required", e.getRequired());
    v.put("reason", e.getReason());
    v.put("details", e.getDetails());
    return v;
  }
}
