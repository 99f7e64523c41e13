package io.lifeboat.catalog.web;

import io.lifeboat.catalog.query.CatalogQueryService;
import io.lifeboat.catalog.query.RecoveryPoints;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.ScheduleDefined;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Schedules and the recovery point each one, and each backup name, has reached right now: the
 * newest successful backup, its age, and whether that is past the schedule's RPO. GET only
 * (schedules are changed by publishing to their topic: {@code lifeboat schedule ...}).
 */
@RestController
public class ScheduleController {

  private final CatalogQueryService catalog;

  public ScheduleController(CatalogQueryService catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/api/schedules")
  public List<Map<String, Object>> list() {
    RecoveryPoints points = catalog.recoveryPoints();
    Instant now = Instant.now();
    return catalog.schedules().stream()
        .map(s -> view(s, points.ofSchedule(s.getName(), now), now))
        .toList();
  }

  @GetMapping("/api/schedules/{name}")
  public ResponseEntity<?> get(@PathVariable String name) {
    Instant now = Instant.now();
    return catalog
        .schedule(name)
        .<ResponseEntity<?>>map(
            s -> ResponseEntity.ok(view(s, catalog.recoveryPoints().ofSchedule(name, now), now)))
        .orElseGet(
            () ->
                ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(Map.of("error", "no schedule " + name)));
  }

  /** Per backup name: its newest successful backup and how old it is. */
  @GetMapping("/api/recovery-points")
  public List<Map<String, Object>> recoveryPoints() {
    Instant now = Instant.now();
    return catalog.recoveryPoints().byName(now).stream()
        .map(
            p -> {
              Map<String, Object> v = new LinkedHashMap<>();
              v.put("name", p.key());
              point(v, p);
              return v;
            })
        .toList();
  }

  static Map<String, Object> view(ScheduleDefined s, RecoveryPoints.Point p, Instant now) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", s.getName());
    v.put("cron", s.getCron());
    v.put("zone", s.getZone());
    v.put("paused", s.getPaused());
    v.put("action", s.getAction().toString());
    v.put("backupName", s.getBackupName());
    v.put("type", s.getType().toString());
    v.put("sources", s.getComponents().stream().map(ComponentSpec::getSource).toList());
    v.put("retention", s.getRetention() == null ? "default" : s.getRetention());
    v.put("plan", s.getPlan());
    v.put("rpo", s.getRpo());
    point(v, p);
    if (s.getRpo() != null) {
      Duration rpo = Duration.parse(s.getRpo());
      Instant since = p.completedAt() != null ? p.completedAt() : s.getDefinedAt();
      v.put("rpoMet", Duration.between(since, now).compareTo(rpo) <= 0);
    }
    v.put("definedAt", s.getDefinedAt().toString());
    v.put("nextRun", s.getPaused() ? null : nextRun(s.getCron(), s.getZone(), now));
    return v;
  }

  /** The next slot after now (the scheduler's arithmetic: five fields mean second 0). */
  static @org.jspecify.annotations.Nullable String nextRun(String cron, String zone, Instant now) {
    try {
      String e = cron.strip();
      if (!e.startsWith("@") && e.split("\\s+").length == 5) {
        e = "0 " + e;
      }
      java.time.ZonedDateTime next =
          org.springframework.scheduling.support.CronExpression.parse(e)
              .next(now.atZone(java.time.ZoneId.of(zone)));
      return next == null ? null : next.toInstant().toString();
    } catch (RuntimeException e) {
      return null; // the scheduler reports an invalid schedule
    }
  }

  private static void point(Map<String, Object> v, RecoveryPoints.Point p) {
    v.put("lastSuccessBackupId", p.backupId());
    v.put("lastSuccessAt", p.completedAt() == null ? null : p.completedAt().toString());
    v.put("ageSeconds", p.age() == null ? null : p.age().toSeconds());
  }
}
