package io.lifeboat.recovery.web;

import io.lifeboat.events.RecoveryMode;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.RecoveryPlanSpec;
import io.lifeboat.model.RecoveryPlanView;
import io.lifeboat.recovery.plan.PlanPreview;
import io.lifeboat.recovery.plan.PlanStatus;
import io.lifeboat.recovery.query.CoordinatorNotReadyException;
import io.lifeboat.recovery.query.CoordinatorQueryService;
import io.lifeboat.stage.common.auth.ApiAccess;
import io.lifeboat.stage.common.auth.AuthFilter;
import io.lifeboat.stage.common.auth.Operation;
import io.lifeboat.stage.common.auth.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Recovery plans over HTTP. Reading is open; creating, deleting, running and rolling back need the
 * API token ({@code Authorization: Bearer TOKEN}): 401 without it, 403 when no token is configured.
 * Executions are read from the catalog ({@code GET /api/recoveries}).
 */
@RestController
public class RecoveryController {

  private final CoordinatorQueryService coordinator;
  private final RecoveryPublisher publisher;
  private final Supplier<CatalogClient> catalog;
  private final ApiAccess access;

  public RecoveryController(
      CoordinatorQueryService coordinator,
      RecoveryPublisher publisher,
      Supplier<CatalogClient> catalog,
      ApiAccess access) {
    this.coordinator = coordinator;
    this.publisher = publisher;
    this.catalog = catalog;
    this.access = access;
  }

  static String actorName(jakarta.servlet.http.HttpServletRequest request) {
    return ApiAccess.actor(request).name();
  }

  /**
   * Plans that may write to production, or have checks, are defined, changed and removed by admins
   * only ({@link io.lifeboat.recovery.plan.ProductionPlans#adminOnly}).
   */
  private void requireAdminFor(
      jakarta.servlet.http.HttpServletRequest request,
      String name,
      @Nullable String old,
      @Nullable RecoveryPlanSpec changed,
      Operation op) {
    io.lifeboat.recovery.plan.ProductionPlans.adminOnly(
            access, name, old, changed == null ? null : changed.toJson())
        .ifPresent(why -> ApiAccess.require(request, op, Role.ADMIN, why));
  }

  static RecoveryPlanView view(RecoveryPlanSpec p, PlanStatus s) {
    return new RecoveryPlanView(
        p.name(),
        p.environment(),
        p.description(),
        p.components().stream().map(RecoveryPlanSpec.ComponentTarget::name).toList(),
        p.checks().stream().map(RecoveryPlanSpec.Check::name).toList(),
        p.rto(),
        s.status(),
        s.validatedAt(),
        s.testedAt(),
        s.lastTestRtoMs(),
        p);
  }

  @GetMapping("/api/plans")
  public List<RecoveryPlanView> plans() {
    List<RecoveryPlanView> out = new ArrayList<>();
    List<io.lifeboat.events.RecoveryExecution> executions = coordinator.executions();
    coordinator
        .plans()
        .forEach(
            (name, json) -> {
              RecoveryPlanSpec p = RecoveryPlanSpec.parse(json);
              out.add(view(p, PlanStatus.of(p, executions)));
            });
    return out;
  }

  /**
   * Retires a plan: it refuses to run unless forced. Defining it again (or {@code /activate})
   * brings it back.
   */
  @PostMapping("/api/plans/{name}/deprecate")
  public ResponseEntity<?> deprecate(
      jakarta.servlet.http.HttpServletRequest request, @PathVariable String name) {
    return setRetired(request, name, true);
  }

  /** Brings a deprecated plan back into use (as it was: its test record still counts). */
  @PostMapping("/api/plans/{name}/activate")
  public ResponseEntity<?> activate(
      jakarta.servlet.http.HttpServletRequest request, @PathVariable String name) {
    return setRetired(request, name, false);
  }

  private ResponseEntity<?> setRetired(
      jakarta.servlet.http.HttpServletRequest request, String name, boolean retired) {
    var json = coordinator.plan(name);
    if (json.isEmpty()) {
      return notFound("no recovery plan named " + io.lifeboat.model.Quoted.brief(name));
    }
    RecoveryPlanSpec plan = RecoveryPlanSpec.parse(json.get()).withDeprecated(retired);
    requireAdminFor(request, name, json.get(), plan, Operation.PLAN_DEFINE);
    publisher.define(plan, actorName(request));
    return ResponseEntity.ok(view(plan, PlanStatus.of(plan, coordinator.executions())));
  }

  @GetMapping("/api/plans/{name}")
  public ResponseEntity<?> plan(
      @PathVariable String name,
      @RequestParam(required = false) @Nullable String at,
      @RequestParam(required = false) @Nullable String backup) {
    return coordinator
        .plan(name)
        .<ResponseEntity<?>>map(
            json ->
                ResponseEntity.ok(
                    PlanPreview.of(
                        RecoveryPlanSpec.parse(json),
                        instant(at),
                        blankToNull(backup),
                        catalog.get(),
                        coordinator.estimates())))
        .orElseGet(
            () -> notFound("no recovery plan named " + io.lifeboat.model.Quoted.brief(name)));
  }

  @PostMapping("/api/plans")
  public ResponseEntity<?> define(
      jakarta.servlet.http.HttpServletRequest request, @RequestBody String body) {
    RecoveryPlanSpec plan = RecoveryPlanSpec.parse(body);
    List<String> problems = plan.problems();
    if (!problems.isEmpty()) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("error", "the plan has " + problems.size() + " problem(s)");
      answer.put("problems", problems);
      return ResponseEntity.badRequest().body(answer);
    }
    requireAdminFor(
        request,
        plan.name(),
        coordinator.plan(plan.name()).orElse(null),
        plan,
        Operation.PLAN_DEFINE);
    publisher.define(plan, actorName(request));
    return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("name", plan.name()));
  }

  @DeleteMapping("/api/plans/{name}")
  public ResponseEntity<?> delete(
      jakarta.servlet.http.HttpServletRequest request, @PathVariable String name) {
    var json = coordinator.plan(name);
    if (json.isEmpty()) {
      return notFound("no recovery plan named " + io.lifeboat.model.Quoted.brief(name));
    }
    requireAdminFor(request, name, json.get(), null, Operation.PLAN_DELETE);
    publisher.delete(name);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/api/plans/{name}/executions")
  public ResponseEntity<?> run(
      jakarta.servlet.http.HttpServletRequest request,
      @PathVariable String name,
      @RequestParam(defaultValue = "VALIDATE") String mode,
      @RequestParam(required = false) @Nullable String at,
      @RequestParam(required = false) @Nullable String backup,
      @RequestParam(defaultValue = "false") boolean force) {
    RecoveryMode m;
    try {
      m = RecoveryMode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "mode must be EXECUTE, TEST or VALIDATE, got '" + mode + "'");
    }
    if (m == RecoveryMode.ROLLBACK) {
      throw new IllegalArgumentException(
          "roll back with POST /api/recoveries/{executionId}/rollback");
    }
    if (at != null && !at.isBlank() && backup != null && !backup.isBlank()) {
      throw new IllegalArgumentException("give either at or backup, not both");
    }
    var json = coordinator.plan(name);
    if (json.isEmpty()) {
      return notFound("no recovery plan named " + io.lifeboat.model.Quoted.brief(name));
    }
    request.setAttribute(AuthFilter.DETAILS, Map.of("mode", m.name()));
    if (m == RecoveryMode.EXECUTE
        && io.lifeboat.recovery.plan.ProductionPlans.touches(
            access, RecoveryPlanSpec.parse(json.get()), false)) {
      ApiAccess.require(
          request, Operation.RECOVER, Role.ADMIN, "plan " + name + " recovers into production");
    }
    String id =
        publisher.request(name, m, instant(at), blankToNull(backup), force, actorName(request));
    return ResponseEntity.accepted().body(Map.of("executionId", id, "mode", m.name()));
  }

  @PostMapping("/api/recoveries/{executionId}/rollback")
  public ResponseEntity<?> rollback(
      jakarta.servlet.http.HttpServletRequest request, @PathVariable String executionId) {
    if (coordinator.execution(executionId).isEmpty()) {
      return notFound("no recovery execution " + executionId);
    }
    publisher.requestFor(
        executionId, "", RecoveryMode.ROLLBACK, null, null, false, actorName(request));
    return ResponseEntity.accepted().body(Map.of("executionId", executionId, "mode", "ROLLBACK"));
  }

  private static ResponseEntity<?> notFound(String message) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", message));
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static @Nullable Instant instant(@Nullable String at) {
    return at == null || at.isBlank() ? null : RecoveryPlanSpec.parseInstant(at);
  }

  @ExceptionHandler(CoordinatorNotReadyException.class)
  ResponseEntity<Map<String, String>> notReady(CoordinatorNotReadyException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", "2")
        .body(Map.of("error", e.getMessage()));
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
  }
}
