package io.lifeboat.recovery.web;

import io.lifeboat.events.Alert;
import io.lifeboat.events.AuditEvent;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.Severity;
import io.lifeboat.stage.common.auth.Actor;
import io.lifeboat.stage.common.auth.ApiAccess;
import io.lifeboat.stage.common.auth.ApiRoutes;
import io.lifeboat.stage.common.auth.AuthFilter;
import io.lifeboat.stage.common.auth.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/break-glass}: a storage command ({@code forget}, {@code prune}, {@code delete
 * --break-glass}) is about to act with the master key, outside the roles, and says so first. An
 * operator or admin may call it (a viewer cannot run a storage command's work anyway, and must not
 * raise critical alerts); the API writes an {@link AuditEvent} (outcome {@code BREAK_GLASS}, the
 * token's name as the actor, the operating-system user and host in its details) and a critical
 * {@code security.break-glass} alert, and answers 200 only once Kafka has both: the command does
 * nothing otherwise. This is the only audit event of the call (the filter writes none when it
 * succeeded). The command line's own Kafka login may write neither topic (decision 0032).
 */
@RestController
public class BreakGlassController {

  /**
   * @param command the command, e.g. forget
   * @param action the audit action, e.g. backup.forget
   * @param target what it acts on (backup ids), empty for none
   * @param reason the reason given with --break-glass
   * @param osUser the operating-system user running the command
   * @param host the host it runs on
   */
  public record Body(
      @Nullable String command,
      @Nullable String action,
      @Nullable String target,
      @Nullable String reason,
      @Nullable String osUser,
      @Nullable String host) {}

  /** The storage commands that break glass, and the action each is audited as. */
  static final Map<String, String> COMMANDS =
      Map.of("delete", "backup.delete", "forget", "backup.forget", "prune", "repository.prune");

  private final RecoveryPublisher publisher;

  public BreakGlassController(RecoveryPublisher publisher) {
    this.publisher = publisher;
  }

  @PostMapping("/api/break-glass")
  public ResponseEntity<Map<String, String>> breakGlass(
      @RequestBody Body body, HttpServletRequest request) {
    String target = text(body.target(), 64_000); // the ids a delete names
    request.setAttribute(AuthFilter.ASKED, new ApiRoutes.Route(Operation.BREAK_GLASS, target));
    String command = required("command", body.command(), 64);
    String action = required("action", body.action(), 64);
    if (!action.equals(COMMANDS.get(command))) {
      throw new IllegalArgumentException(
          "command and action must be one of the storage commands that break glass: "
              + new java.util.TreeMap<>(COMMANDS));
    }
    String reason = required("reason", body.reason(), 1000);
    String osUser = text(body.osUser(), 128);
    String host = text(body.host(), 255);
    Actor actor = ApiAccess.actor(request);
    String subject = target.isEmpty() ? command : target;
    Map<String, String> details = new LinkedHashMap<>();
    details.put("command", command);
    details.put("osUser", osUser);
    details.put("host", host);
    AuditEvent audit =
        AuditEvent.newBuilder()
            .setEnvelope(Envelopes.next(subject))
            .setAction(action)
            .setTarget(target)
            .setOutcome("BREAK_GLASS")
            .setActor(actor.name())
            .setRole(actor.role() == null ? "" : actor.role().label())
            .setTokenId(actor.tokenId())
            .setAuthenticated(actor.authenticated())
            .setSource(actor.source())
            .setService("api")
            .setMethod(request.getMethod())
            .setPath(request.getRequestURI())
            .setStatus(200)
            .setReason(reason)
            .setDetails(details)
            .build();
    Alert alert =
        Alert.newBuilder()
            .setEnvelope(Envelopes.next(subject))
            .setSeverity(Severity.CRITICAL)
            .setKind("security.break-glass")
            .setSubject(subject)
            .setMessage(
                "break glass: "
                    + actor.name()
                    + " ("
                    + (osUser.isEmpty() ? "?" : osUser)
                    + "@"
                    + (host.isEmpty() ? "?" : host)
                    + ") runs `lifeboat "
                    + command
                    + "` on the storage, outside the roles: "
                    + reason)
            .setLabels(Map.of("action", action, "user", actor.name(), "osUser", osUser))
            .build();
    publisher.breakGlass(audit, alert);
    request.setAttribute(AuthFilter.RECORDED, Boolean.TRUE);
    return ResponseEntity.ok(
        Map.of("status", "RECORDED", "eventId", audit.getEnvelope().getEventId()));
  }

  private static String required(String field, @Nullable String value, int max) {
    String v = text(value, max);
    if (v.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return v;
  }

  /** One line of at most {@code max} characters: control characters become spaces. */
  private static String text(@Nullable String value, int max) {
    if (value == null) {
      return "";
    }
    String v = value.replaceAll("\\p{Cntrl}", " ").strip();
    if (v.length() > max) {
      throw new IllegalArgumentException("a field is longer than " + max + " characters");
    }
    return v;
  }

  @ExceptionHandler({IllegalArgumentException.class, HttpMessageNotReadableException.class})
  ResponseEntity<Map<String, String>> badRequest(Exception e, HttpServletRequest request) {
    String why =
        e instanceof IllegalArgumentException
            ? String.valueOf(e.getMessage())
            : "the body must be JSON: {command, action, target, reason, osUser, host}";
    request.setAttribute(AuthFilter.REASON, why);
    return ResponseEntity.badRequest().body(Map.of("error", why));
  }

  @ExceptionHandler(IllegalStateException.class)
  ResponseEntity<Map<String, String>> notRecorded(IllegalStateException e, HttpServletRequest r) {
    String why = "the break-glass could not be recorded: " + e.getMessage();
    r.setAttribute(AuthFilter.REASON, why);
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", why));
  }
}
