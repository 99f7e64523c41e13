package io.lifeboat.recovery.web;

import io.lifeboat.client.BackupRequest;
import io.lifeboat.client.BackupSchedule;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API calls that change schedules and running backups (the API token is required): create or
 * replace a schedule, delete one, cancel a running backup. Reading schedules is the catalog's
 * {@code GET /api/schedules}.
 */
@RestController
public class ScheduleApiController {

  /**
   * A schedule as the API takes it.
   *
   * @param sources component specs ({@code files:/srv/app}, {@code postgres://host/db}); a password
   *     in a URI is refused here (this service holds no key): use {@code ?passwordFile=} or the
   *     command line
   * @param retention {@code keep-*} options; absent is the default policy, {} keeps everything
   */
  public record ScheduleBody(
      String name,
      String cron,
      @Nullable String zone,
      @Nullable String backupName,
      @Nullable String type,
      @Nullable List<String> sources,
      @Nullable Map<String, String> labels,
      @Nullable Map<String, String> retention,
      @Nullable String rpo,
      @Nullable Boolean paused) {}

  private final ApiToken token;
  private final RecoveryPublisher publisher;
  private final Supplier<CatalogClient> catalog;

  public ScheduleApiController(
      ApiToken token, RecoveryPublisher publisher, Supplier<CatalogClient> catalog) {
    this.token = token;
    this.publisher = publisher;
    this.catalog = catalog;
  }

  @PostMapping("/api/schedules")
  public ResponseEntity<?> define(
      @RequestHeader(value = "Authorization", required = false) @Nullable String auth,
      @RequestBody ScheduleBody body) {
    ResponseEntity<?> denied = token.refusal(auth);
    if (denied != null) {
      return denied;
    }
    ScheduleDefined event;
    try {
      BackupRequest.Builder b =
          BackupRequest.named(
                  body.backupName() != null && !body.backupName().isBlank()
                      ? body.backupName()
                      : String.valueOf(body.name()))
              .type(body.type() != null ? body.type() : "full");
      Optional.ofNullable(body.sources()).orElse(List.of()).forEach(b::component);
      Optional.ofNullable(body.labels()).orElse(Map.of()).forEach(b::label);
      event =
          new BackupSchedule(
                  String.valueOf(body.name()),
                  String.valueOf(body.cron()),
                  body.zone() != null ? body.zone() : "UTC",
                  b.build(),
                  body.retention(),
                  body.rpo() != null ? Duration.parse(body.rpo()) : null,
                  Boolean.TRUE.equals(body.paused()))
              .toEvent(null);
    } catch (LifeboatClientException | IllegalArgumentException | java.time.DateTimeException e) {
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
      @RequestHeader(value = "Authorization", required = false) @Nullable String auth,
      @PathVariable String name) {
    ResponseEntity<?> denied = token.refusal(auth);
    if (denied != null) {
      return denied;
    }
    publisher.deleteSchedule(name);
    return ResponseEntity.noContent().build();
  }

  /** Cancels a running backup; an ended or unknown one is refused with the reason. */
  @PostMapping("/api/backups/{backupId}/cancel")
  public ResponseEntity<?> cancel(
      @RequestHeader(value = "Authorization", required = false) @Nullable String auth,
      @PathVariable String backupId) {
    ResponseEntity<?> denied = token.refusal(auth);
    if (denied != null) {
      return denied;
    }
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

  private static ResponseEntity<?> bad(String message) {
    return ResponseEntity.badRequest().body(Map.of("error", message));
  }
}
