package io.lifeboat.recovery.web;

import io.lifeboat.events.BackupDeleteRequested;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.EventCodec;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryPlanDefined;
import io.lifeboat.events.RecoveryRequested;
import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import io.lifeboat.recovery.plan.ProductionPlans;
import io.lifeboat.recovery.query.CoordinatorQueryService;
import io.lifeboat.stage.common.auth.ApiAccess;
import io.lifeboat.stage.common.auth.AuthFilter;
import io.lifeboat.stage.common.auth.KafkaRequestGuard;
import io.lifeboat.stage.common.auth.Operation;
import io.lifeboat.stage.common.auth.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/requests}: a request record a client built (the command line, in roles mode),
 * which the API checks, signs with the caller's identity and sends, or holds for approval. The
 * services that act on it check the signed role again; this answers 403 at once where it can tell.
 */
@RestController
public class RequestApiController {

  /**
   * @param topic one of the request topics
   * @param key the record key
   * @param value the event, single-object Avro encoded, base64; null for a tombstone (deleting a
   *     plan or a schedule)
   */
  public record SendBody(String topic, String key, @Nullable String value) {}

  private final RecoveryPublisher publisher;
  private final CoordinatorQueryService coordinator;
  private final ApiAccess access;

  public RequestApiController(
      RecoveryPublisher publisher, CoordinatorQueryService coordinator, ApiAccess access) {
    this.publisher = publisher;
    this.coordinator = coordinator;
    this.access = access;
  }

  @PostMapping("/api/requests")
  public ResponseEntity<?> send(@RequestBody SendBody body, HttpServletRequest request) {
    if (body.topic() == null || !KafkaRequestGuard.REQUEST_TOPICS.contains(body.topic())) {
      throw new IllegalArgumentException(
          "topic must be one of "
              + new java.util.TreeSet<>(KafkaRequestGuard.REQUEST_TOPICS)
              + (body.topic() == null
                  ? ""
                  : ", got " + io.lifeboat.model.Quoted.brief(body.topic())));
    }
    if (body.key() == null || body.key().isBlank()) {
      throw new IllegalArgumentException("key is required");
    }
    TopicSpec<?> spec =
        Topics.all().stream().filter(t -> t.name().equals(body.topic())).findFirst().orElseThrow();
    @Nullable SpecificRecord event = decode(spec, body.value());
    Needs needs = needs(body.topic(), body.key(), event);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("action", needs.operation().action());
    details.put("topic", body.topic());
    details.put("key", body.key());
    request.setAttribute(AuthFilter.DETAILS, details);
    request.setAttribute(
        AuthFilter.ASKED,
        new io.lifeboat.stage.common.auth.ApiRoutes.Route(needs.operation(), body.key()));
    if (needs.role() != Role.OPERATOR) {
      ApiAccess.require(request, needs.operation(), needs.role(), needs.why());
    }
    if (access.needsApproval(needs.operation().action())) {
      request.setAttribute(ApiAccess.APPROVAL, needs.operation().action());
    }
    if (event != null) {
      stampRequester(event, ApiAccess.actor(request).name());
    }
    publisher.sendRequest(body.topic(), body.key(), event);
    return ResponseEntity.accepted()
        .body(Map.of("topic", body.topic(), "key", body.key(), "status", "SENT"));
  }

  /**
   * A request the API cannot take (an unknown topic, a missing key, a value that is not the topic's
   * event, a body that is not JSON): 400 with the reason, which the audit event records too.
   */
  @ExceptionHandler({
    IllegalArgumentException.class,
    org.springframework.http.converter.HttpMessageNotReadableException.class
  })
  ResponseEntity<Map<String, String>> badRequest(Exception e, HttpServletRequest request) {
    String why =
        e instanceof IllegalArgumentException
            ? String.valueOf(e.getMessage())
            : "the body must be JSON: {\"topic\": a request topic, \"key\": the record key,"
                + " \"value\": the event, single-object Avro, base64}";
    request.setAttribute(AuthFilter.REASON, why);
    return ResponseEntity.badRequest().body(Map.of("error", why));
  }

  private static @Nullable SpecificRecord decode(TopicSpec<?> spec, @Nullable String value) {
    if (value == null) {
      if (spec != Topics.RECOVERY_PLANS && spec != Topics.SCHEDULES) {
        throw new IllegalArgumentException(spec.name() + " takes no empty (deleting) records");
      }
      return null;
    }
    try {
      return EventCodec.of(spec.valueType()).decode(Base64.getDecoder().decode(value));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "value is not a " + spec.valueType().getSimpleName() + " (" + e.getMessage() + ")", e);
    }
  }

  /** What a request record does, and the least role that may ask for it. */
  record Needs(Operation operation, Role role, String why) {}

  private Needs needs(String topic, String key, @Nullable SpecificRecord event) {
    if (topic.equals(Topics.BACKUP_REQUESTS.name())) {
      boolean reserved =
          event instanceof BackupRequested b
              && b.getLabels().keySet().stream()
                  .anyMatch(k -> k.startsWith("lifeboat.") && !k.equals("lifeboat.pin"));
      return reserved
          ? new Needs(Operation.BACKUP, Role.ADMIN, "it sets labels that steer retention")
          : new Needs(Operation.BACKUP, Role.OPERATOR, "");
    }
    if (topic.equals(Topics.BACKUP_CANCELLATIONS.name())) {
      return new Needs(Operation.CANCEL, Role.OPERATOR, "");
    }
    if (topic.equals(Topics.BACKUP_VERIFY_REQUESTS.name())) {
      return new Needs(Operation.VERIFY, Role.OPERATOR, "");
    }
    if (topic.equals(Topics.BACKUP_DELETE_REQUESTS.name())) {
      return new Needs(Operation.DELETE, Role.ADMIN, "");
    }
    if (topic.equals(Topics.SCHEDULES.name())) {
      return new Needs(
          event == null ? Operation.SCHEDULE_DELETE : Operation.SCHEDULE_DEFINE, Role.ADMIN, "");
    }
    if (topic.equals(Topics.RECOVERY_PLANS.name())) {
      java.util.Optional<String> admin =
          ProductionPlans.adminOnly(
              access,
              key,
              coordinator.plan(key).orElse(null),
              event instanceof RecoveryPlanDefined p ? p.getDefinition() : null);
      return new Needs(
          event == null ? Operation.PLAN_DELETE : Operation.PLAN_DEFINE,
          admin.isPresent() ? Role.ADMIN : Role.OPERATOR,
          admin.orElse(""));
    }
    RecoveryRequested r = (RecoveryRequested) java.util.Objects.requireNonNull(event);
    if (r.getMode() == RecoveryMode.ROLLBACK) {
      return new Needs(Operation.ROLLBACK, Role.ADMIN, "");
    }
    if (r.getPlan() != null) {
      throw new IllegalArgumentException(
          "a plan given with the request is run only when the API made it: define the plan and"
              + " run it by name");
    }
    String plan = coordinator.plan(r.getPlanName()).orElse(null);
    boolean production =
        r.getMode() == RecoveryMode.EXECUTE
            && plan != null
            && ProductionPlans.execute(access, plan, r.getEnvironment());
    return new Needs(
        Operation.RECOVER,
        production ? Role.ADMIN : Role.OPERATOR,
        production ? "plan " + r.getPlanName() + " recovers into production" : "");
  }

  /** The name shown as who asked is the one the API authenticated, not what the client wrote. */
  private static void stampRequester(SpecificRecord event, String name) {
    for (String field : new String[] {"requestedBy", "definedBy"}) {
      Schema.Field f = event.getSchema().getField(field);
      if (f != null) {
        event.put(f.pos(), name);
      }
    }
    if (event instanceof BackupDeleteRequested d && d.getReason().isBlank()) {
      d.setReason("requested by " + name);
    }
  }
}
