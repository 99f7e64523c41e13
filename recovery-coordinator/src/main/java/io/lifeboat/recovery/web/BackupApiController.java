package io.lifeboat.recovery.web;

import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.NotificationSetting;
import io.lifeboat.model.BackupRequests;
import io.lifeboat.stage.common.auth.ApiAccess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
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

  /**
   * Where to restore a backup.
   *
   * @param to the target of a backup with one component (a folder or a database URI of its kind)
   * @param targets component name to target, for any of the backup's components
   * @param ifExists when a target holds data: replace (move it aside, put it back on failure; the
   *     default), refuse, merge
   * @param mode EXECUTE (the default), TEST (into scratch targets, then torn down) or VALIDATE
   *     (check that it could run, change nothing)
   * @param rto the objective to measure it against, e.g. 15m
   */
  public record RestoreBody(
      @Nullable String to,
      @Nullable Map<String, String> targets,
      @Nullable String ifExists,
      @Nullable String mode,
      @Nullable String rto) {}

  private final RecoveryPublisher publisher;
  private final java.util.function.Supplier<io.lifeboat.model.CatalogClient> catalog;
  private final ApiAccess access;

  public BackupApiController(
      RecoveryPublisher publisher,
      java.util.function.Supplier<io.lifeboat.model.CatalogClient> catalog,
      ApiAccess access) {
    this.publisher = publisher;
    this.catalog = catalog;
    this.access = access;
  }

  private static String actorName(jakarta.servlet.http.HttpServletRequest request) {
    return ApiAccess.actor(request).name();
  }

  /**
   * {@code POST /api/backups/{id}/verify}: the verify stage reads every chunk of the stored backup
   * back and authenticates it. Answers 202 with the verification id; the result shows as {@code
   * lastVerification} on {@code GET /api/backups/{id}}, and a damaged backup raises a {@code
   * backup.corrupted} alert.
   */
  @PostMapping("/api/backups/{id}/verify")
  public ResponseEntity<?> verify(
      jakarta.servlet.http.HttpServletRequest request, @PathVariable String id) {
    Stored stored = storedBackup(id);
    if (stored.refusal() != null) {
      return stored.refusal();
    }
    String verificationId = publisher.requestVerification(id, actorName(request));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("verificationId", verificationId);
    answer.put("backupId", id);
    return ResponseEntity.accepted().body(answer);
  }

  /**
   * {@code POST /api/backups/{id}/restore}: restores a backup as a recovery execution of a plan
   * made for it (named {@code restore-ID}), so it has progress, health checks and rollback like any
   * recovery. Answers 202 with the execution id; follow it on {@code GET /api/recoveries/{id}}.
   */
  @PostMapping("/api/backups/{id}/restore")
  public ResponseEntity<?> restore(
      jakarta.servlet.http.HttpServletRequest request,
      @PathVariable String id,
      @RequestBody RestoreBody body) {
    Stored stored = storedBackup(id);
    if (stored.refusal() != null) {
      return stored.refusal();
    }
    io.lifeboat.model.BackupView backup = java.util.Objects.requireNonNull(stored.backup());
    io.lifeboat.events.RecoveryMode mode;
    try {
      mode =
          io.lifeboat.events.RecoveryMode.valueOf(
              body.mode() == null || body.mode().isBlank()
                  ? "EXECUTE"
                  : body.mode().strip().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return bad(
          "mode must be EXECUTE, TEST or VALIDATE, got "
              + io.lifeboat.model.Quoted.brief(String.valueOf(body.mode())));
    }
    if (mode == io.lifeboat.events.RecoveryMode.ROLLBACK) {
      return bad("roll back with POST /api/recoveries/{executionId}/rollback");
    }
    Map<String, String> targets = new java.util.LinkedHashMap<>();
    if (body.to() != null && !body.to().isBlank()) {
      if (body.targets() != null && !body.targets().isEmpty()) {
        return bad("give either to or targets, not both");
      }
      if (backup.components().size() != 1) {
        return bad(
            "backup "
                + id
                + " has "
                + backup.components().size()
                + " components ("
                + String.join(", ", backup.components().stream().map(c -> c.name()).toList())
                + "): say where each goes with targets");
      }
      targets.put(backup.components().get(0).name(), body.to().strip());
    } else if (body.targets() != null) {
      targets.putAll(body.targets());
    }
    if (targets.isEmpty()) {
      return bad("say where to restore: to (one component) or targets (component to target)");
    }
    List<io.lifeboat.model.RecoveryPlanSpec.ComponentTarget> components =
        new java.util.ArrayList<>();
    targets.forEach(
        (component, target) ->
            components.add(
                new io.lifeboat.model.RecoveryPlanSpec.ComponentTarget(
                    component, target, body.ifExists(), null, List.of(), null)));
    String planName = ("restore-" + id.replaceAll("[^A-Za-z0-9._-]", "-"));
    planName = planName.substring(0, Math.min(64, planName.length()));
    io.lifeboat.model.RecoveryPlanSpec plan =
        new io.lifeboat.model.RecoveryPlanSpec(
            planName,
            null,
            "restore of backup " + id + " requested over the API",
            id,
            null,
            null,
            body.rto(),
            null,
            components,
            List.of());
    List<String> problems = plan.problems();
    if (!problems.isEmpty()) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("error", "the restore has " + problems.size() + " problem(s)");
      answer.put("problems", problems);
      return ResponseEntity.badRequest().body(answer);
    }
    request.setAttribute(
        io.lifeboat.stage.common.auth.AuthFilter.DETAILS, Map.of("mode", mode.name()));
    if (mode == io.lifeboat.events.RecoveryMode.EXECUTE
        && access.production(null, targets.values())) {
      ApiAccess.require(
          request,
          io.lifeboat.stage.common.auth.Operation.RESTORE,
          io.lifeboat.stage.common.auth.Role.ADMIN,
          "it restores into a production target (lifeboat.auth.production.targets)");
    }
    String executionId = publisher.requestInline(plan, mode, actorName(request));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("executionId", executionId);
    answer.put("mode", mode.name());
    answer.put("plan", planName);
    return ResponseEntity.accepted().body(answer);
  }

  /**
   * {@code DELETE /api/backups/{id}}: the verify stage deletes the backup's manifest at every
   * location (its chunks go at the next prune). Answers 202; the catalog shows it DELETED when
   * done, and a failure raises a {@code backup.delete-failed} alert.
   */
  @DeleteMapping("/api/backups/{id}")
  public ResponseEntity<?> delete(
      jakarta.servlet.http.HttpServletRequest request,
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String reason) {
    Stored stored = storedBackup(id);
    if (stored.refusal() != null) {
      return stored.refusal();
    }
    publisher.requestDeletion(id, reason == null ? "" : reason, actorName(request));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("backupId", id);
    answer.put("status", "DELETE_REQUESTED");
    return ResponseEntity.accepted().body(answer);
  }

  /**
   * A backup as the catalog shows it, or the answer saying why it cannot be used.
   *
   * @param backup set when it is stored (SUCCESS or PARTIAL)
   * @param refusal set otherwise: 404, 409, or 503 while the catalog cannot be asked
   */
  private record Stored(
      io.lifeboat.model.@Nullable BackupView backup, @Nullable ResponseEntity<?> refusal) {}

  private Stored storedBackup(String id) {
    java.util.Optional<io.lifeboat.model.BackupView> backup;
    try {
      backup = catalog.get().get(id);
    } catch (io.lifeboat.model.LifeboatClientException e) {
      return refused(
          ResponseEntity.status(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE)
              .header("Retry-After", "2")
              .body(
                  Map.of(
                      "error",
                      "the catalog cannot be asked about backup " + id + ": " + e.getMessage())));
    }
    if (backup.isEmpty()) {
      return refused(
          ResponseEntity.status(org.springframework.http.HttpStatus.NOT_FOUND)
              .body(Map.of("error", "no backup " + io.lifeboat.model.Quoted.brief(id))));
    }
    String status = backup.get().status();
    if (!"SUCCESS".equals(status) && !"PARTIAL".equals(status)) {
      return refused(
          ResponseEntity.status(org.springframework.http.HttpStatus.CONFLICT)
              .body(Map.of("error", "backup " + id + " is " + status + ": nothing stored to use")));
    }
    return new Stored(backup.get(), null);
  }

  private static Stored refused(ResponseEntity<?> answer) {
    return new Stored(null, answer);
  }

  @PostMapping("/api/backups")
  public ResponseEntity<?> request(
      jakarta.servlet.http.HttpServletRequest request, @RequestBody BackupBody body) {
    if (body.name() == null || body.name().isBlank()) {
      return bad("give the backup a name");
    }
    if (body.components() == null || body.components().isEmpty()) {
      return bad("give at least one component spec in components");
    }
    if (body.labels() != null
        && body.labels().keySet().stream()
            .anyMatch(k -> k.startsWith("lifeboat.") && !k.equals("lifeboat.pin"))) {
      // Lifeboat's own labels say what a backup is part of (a schedule, a WAL archive)
      return bad(
          "labels starting with lifeboat. are set by Lifeboat itself (lifeboat.schedule,"
              + " lifeboat.retention; only lifeboat.pin may be given): keep retention in a"
              + " schedule (POST /api/schedules)");
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
              actorName(request));
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
