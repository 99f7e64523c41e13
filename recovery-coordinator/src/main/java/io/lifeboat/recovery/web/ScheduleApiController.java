package io.lifeboat.recovery.web;

import io.lifeboat.core.provider.SpecCredentials;
import io.lifeboat.core.schedule.ScheduledBackups;
import io.lifeboat.events.BackupType;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.ScheduleDefined;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.LifeboatClientException;
import io.lifeboat.scheduler.Schedules;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API calls that change schedules and running backups (the API token is required): create or
 * replace a schedule, delete one, cancel a running backup. Reading schedules is the catalog's
 * {@code GET /api/schedules}.
 */
@RestController
public class ScheduleApiController {

  private static String actorName(jakarta.servlet.http.HttpServletRequest request) {
    return io.lifeboat.stage.common.auth.ApiAccess.actor(request).name();
  }

  /**
   * A schedule as the API takes it.
   *
   * @param components component name to spec ({@code "app": "files:/srv/app"}, {@code "db":
   *     "postgres://host/db"}); a password in a URI is refused here (this service holds no key):
   *     use {@code ?passwordFile=} or the command line
   * @param retention {@code keep-*} options; absent is the default policy, {} keeps everything
   */
  public record ScheduleBody(
      String name,
      String cron,
      @Nullable String zone,
      @Nullable String backupName,
      @Nullable String type,
      @Nullable Map<String, String> components,
      @Nullable Map<String, String> labels,
      @Nullable Map<String, String> retention,
      @Nullable String rpo,
      @Nullable Boolean paused) {}

  private final RecoveryPublisher publisher;
  private final Supplier<CatalogClient> catalog;

  public ScheduleApiController(RecoveryPublisher publisher, Supplier<CatalogClient> catalog) {
    this.publisher = publisher;
    this.catalog = catalog;
  }

  @PostMapping("/api/schedules")
  public ResponseEntity<?> define(
      jakarta.servlet.http.HttpServletRequest request, @RequestBody ScheduleBody body) {
    ScheduleDefined event;
    try {
      event = toEvent(body, actorName(request));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      return bad(String.valueOf(e.getMessage()));
    }
    String problem = Schedules.problem(event);
    if (problem != null) {
      return bad(problem);
    }
    publisher.defineSchedule(event);
    return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("name", event.getName()));
  }

  @DeleteMapping("/api/schedules/{name}")
  public ResponseEntity<?> delete(
      jakarta.servlet.http.HttpServletRequest request, @PathVariable String name) {
    publisher.deleteSchedule(name);
    return ResponseEntity.noContent().build();
  }

  /** Cancels a running backup; an ended or unknown one is refused with the reason. */
  @PostMapping("/api/backups/{backupId}/cancel")
  public ResponseEntity<?> cancel(
      jakarta.servlet.http.HttpServletRequest request, @PathVariable String backupId) {
    Optional<String> status;
    try {
      status = catalog.get().get(backupId).map(v -> v.status());
    } catch (LifeboatClientException e) {
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .body(Map.of("error", "the catalog cannot say whether it runs: " + e.getMessage()));
    }
    if (status.isEmpty()) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body(Map.of("error", "no backup " + io.lifeboat.model.Quoted.brief(backupId)));
    }
    if (!List.of("REQUESTED", "RUNNING").contains(status.get())) {
      return ResponseEntity.status(HttpStatus.CONFLICT)
          .body(
              Map.of(
                  "error",
                  "backup " + backupId + " has ended (" + status.get() + "): nothing to cancel"));
    }
    publisher.cancelBackup(backupId, "cancelled over the API");
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("backupId", backupId);
    answer.put("status", "CANCEL_REQUESTED");
    return ResponseEntity.accepted().body(answer);
  }

  static ScheduleDefined toEvent(ScheduleBody body, String definedBy) {
    String name = ScheduledBackups.checkName(String.valueOf(body.name()));
    java.util.List<ComponentSpec> components = new java.util.ArrayList<>();
    Optional.ofNullable(body.components())
        .orElse(Map.of())
        .forEach(
            (component, spec) -> {
              if (SpecCredentials.split(spec).password().isPresent()) {
                throw new IllegalArgumentException(
                    "component "
                        + component
                        + " has a password in its URI: this API holds no key to seal it; use"
                        + " ?passwordFile= or `lifeboat schedule create`");
              }
              components.add(new ComponentSpec(component, spec));
            });
    BackupType type =
        BackupType.valueOf(
            (body.type() != null ? body.type() : "full").toUpperCase(java.util.Locale.ROOT));
    return ScheduleDefined.newBuilder()
        .setEnvelope(Envelopes.next(name))
        .setName(name)
        .setCron(String.valueOf(body.cron()))
        .setZone(body.zone() != null ? body.zone() : "UTC")
        .setPaused(Boolean.TRUE.equals(body.paused()))
        .setBackupName(
            body.backupName() != null && !body.backupName().isBlank() ? body.backupName() : name)
        .setType(type)
        .setComponents(components)
        .setLabels(body.labels() != null ? body.labels() : Map.of())
        .setRetention(body.retention())
        .setRpo(body.rpo() != null ? Duration.parse(body.rpo()).toString() : null)
        .setDefinedBy(definedBy)
        .setDefinedAt(java.time.Instant.now())
        .build();
  }

  private static ResponseEntity<?> bad(String message) {
    return ResponseEntity.badRequest().body(Map.of("error", message));
  }
}
