package io.lifeboat.recovery.web;

import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.NotificationSetting;
import io.lifeboat.model.BackupRequests;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/backups}: requests a backup, as {@code lifeboat backup} does (the same event,
 * the same component names), and answers 202 with its id at once; follow it on {@code GET
 * /api/backups/{id}}. Needs the API token. A password in a URI is refused: this service holds no
 * key to seal it.
 */
@RestController
public class BackupApiController {

  /**
   * A backup request as the API takes it.
   *
   * @param name the backup definition's name
   * @param components component specs, as on the command line ({@code files:/srv/app}, {@code
   *     postgres://host/db}); named after their kind (files, files-2, ...)
   * @param type full, incremental or differential (default full)
   * @param labels labels
   * @param notifications notifier channels to tell this backup's outcome
   */
  public record BackupBody(
      @Nullable String name,
      @Nullable List<String> components,
      @Nullable String type,
      @Nullable Map<String, String> labels,
      @Nullable List<String> notifications) {}

  private final ApiToken token;
  private final RecoveryPublisher publisher;

  public BackupApiController(ApiToken token, RecoveryPublisher publisher) {
    this.token = token;
    this.publisher = publisher;
  }

  @PostMapping("/api/backups")
  public ResponseEntity<?> request(
      @RequestHeader(value = "Authorization", required = false) @Nullable String auth,
      @RequestBody BackupBody body) {
    ResponseEntity<?> denied = token.refusal(auth);
    if (denied != null) {
      return denied;
    }
    if (body.name() == null || body.name().isBlank()) {
      return bad("give the backup a name");
    }
    if (body.components() == null || body.components().isEmpty()) {
      return bad("give at least one component spec in components");
    }
    List<NotificationSetting> notify = new java.util.ArrayList<>();
    if (body.notifications() != null) {
      body.notifications()
          .forEach(c -> notify.add(NotificationSetting.newBuilder().setChannel(c).build()));
    }
    BackupRequested event;
    try {
      event =
          BackupRequests.unsealed(
              body.name().strip(),
              body.type() == null || body.type().isBlank() ? "full" : body.type(),
              BackupRequests.named(body.components().stream().map(String::strip).toList()),
              body.labels() == null ? Map.of() : body.labels(),
              notify,
              "api");
    } catch (IllegalArgumentException e) {
      return bad(String.valueOf(e.getMessage()));
    }
    publisher.requestBackup(event);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("backupId", event.getBackupId());
    answer.put("status", "REQUESTED");
    return ResponseEntity.accepted().body(answer);
  }

  private static ResponseEntity<?> bad(String message) {
    return ResponseEntity.badRequest().body(Map.of("error", message));
  }
}
