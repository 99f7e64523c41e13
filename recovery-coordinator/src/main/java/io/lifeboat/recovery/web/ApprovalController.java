package io.lifeboat.recovery.web;

import io.lifeboat.events.ApprovalDecided;
import io.lifeboat.events.ApprovalState;
import io.lifeboat.events.Envelopes;
import io.lifeboat.recovery.approval.ApprovalRules;
import io.lifeboat.recovery.query.CoordinatorQueryService;
import io.lifeboat.stage.common.auth.Actor;
import io.lifeboat.stage.common.auth.ApiAccess;
import io.lifeboat.stage.common.auth.AuthFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Four eyes: {@code GET /api/approvals[?status=]} lists held changes, {@code POST
 * /api/approvals/{id}/approve|reject[?reason=]} decides one. The answer is checked here first (403
 * for the requester's own change and for the host's api-token, which is no person's; 409 when it is
 * not pending) and decided by the approval processor, which sends an approved change once; the call
 * waits up to 10 s for that.
 */
@RestController
public class ApprovalController {

  private final CoordinatorQueryService coordinator;
  private final RecoveryPublisher publisher;

  public ApprovalController(CoordinatorQueryService coordinator, RecoveryPublisher publisher) {
    this.coordinator = coordinator;
    this.publisher = publisher;
  }

  @GetMapping("/api/approvals")
  public List<Map<String, Object>> list(@RequestParam(required = false) @Nullable String status) {
    return coordinator.approvals().stream()
        .filter(s -> status == null || status.isBlank() || s.getStatus().equalsIgnoreCase(status))
        .sorted(Comparator.comparing(ApprovalState::getRequestedAt).reversed())
        .map(ApprovalController::view)
        .toList();
  }

  @GetMapping("/api/approvals/{id}")
  public ResponseEntity<?> get(@PathVariable String id) {
    return coordinator
        .approval(id)
        .<ResponseEntity<?>>map(s -> ResponseEntity.ok(view(s)))
        .orElseGet(() -> notFound(id));
  }

  @PostMapping("/api/approvals/{id}/approve")
  public ResponseEntity<?> approve(
      HttpServletRequest request,
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String reason) {
    return decide(request, id, true, reason);
  }

  @PostMapping("/api/approvals/{id}/reject")
  public ResponseEntity<?> reject(
      HttpServletRequest request,
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String reason) {
    return decide(request, id, false, reason);
  }

  private ResponseEntity<?> decide(
      HttpServletRequest request, String id, boolean approve, @Nullable String reason) {
    Optional<ApprovalState> current = coordinator.approval(id);
    if (current.isEmpty()) {
      return notFound(id);
    }
    Actor actor = ApiAccess.actor(request);
    if (actor.hostToken()) {
      // the host's api-token is the machine's, shared by whoever may read the home: not a person
      String why = ApprovalRules.hostTokenRefusal(approve);
      request.setAttribute(AuthFilter.REASON, why);
      return ResponseEntity.status(HttpStatus.FORBIDDEN)
          .body(Map.of("error", why, "status", current.get().getStatus()));
    }
    ApprovalDecided decision =
        ApprovalDecided.newBuilder()
            .setEnvelope(Envelopes.next(id))
            .setRequestId(id)
            .setApprove(approve)
            .setApprover(actor.name())
            .setApproverRole(actor.role() == null ? "" : actor.role().label())
            .setApproverTokenId(actor.tokenId())
            .setReason(reason == null ? "" : reason)
            .build();
    // the same rules the processor applies, answered at once; the processor decides
    ApprovalRules.Decision preview = ApprovalRules.decide(current.get(), decision, Instant.now());
    if (preview.outcome().equals("REFUSED")) {
      request.setAttribute(AuthFilter.REASON, preview.reason());
      boolean own =
          current.get().getStatus().equals(ApprovalRules.PENDING)
              && ApprovalRules.samePerson(current.get().getRequest(), decision);
      return ResponseEntity.status(own ? HttpStatus.FORBIDDEN : HttpStatus.CONFLICT)
          .body(Map.of("error", preview.reason(), "status", current.get().getStatus()));
    }
    publisher.decide(decision);
    ApprovalState now = current.get();
    for (int i = 0; i < 100 && now.getStatus().equals(ApprovalRules.PENDING); i++) {
      sleep();
      now = coordinator.approval(id).orElse(now);
    }
    return ResponseEntity.status(
            now.getStatus().equals(ApprovalRules.PENDING) ? HttpStatus.ACCEPTED : HttpStatus.OK)
        .body(view(now));
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Map<String, Object> view(ApprovalState s) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("requestId", s.getRequest().getRequestId());
    v.put("status", s.getStatus());
    v.put("action", s.getRequest().getAction());
    v.put("target", s.getRequest().getTarget());
    v.put("summary", s.getRequest().getSummary());
    v.put("requester", s.getRequest().getRequester());
    v.put("requestedAt", s.getRequestedAt().toString());
    v.put("expiresAt", s.getRequest().getExpiresAt().toString());
    v.put("approver", s.getApprover());
    v.put("decidedAt", s.getDecidedAt() == null ? null : s.getDecidedAt().toString());
    v.put("reason", s.getReason());
    return v;
  }

  private static ResponseEntity<?> notFound(String id) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .body(Map.of("error", "no held change " + io.lifeboat.model.Quoted.brief(id)));
  }

  @ExceptionHandler(io.lifeboat.recovery.query.CoordinatorNotReadyException.class)
  ResponseEntity<Map<String, String>> notReady(RuntimeException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", "2")
        .body(Map.of("error", String.valueOf(e.getMessage())));
  }
}
