package io.lifeboat.catalog.query;

import io.lifeboat.events.AuditEvent;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which audit events {@code GET /api/audit} answers with: each given field must match exactly
 * (requestId: a held change's id, as the events of its approval carry it) (outcome and action
 * ignore case; action also matches by prefix, so {@code backup} finds every {@code backup.*}), the
 * time must lie in [since, until).
 */
public record AuditFilter(
    @Nullable String actor,
    @Nullable String action,
    @Nullable String outcome,
    @Nullable String target,
    @Nullable String requestId,
    @Nullable Instant since,
    @Nullable Instant until,
    int limit) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public AuditFilter {
    limit = limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
  }

  public boolean matches(AuditEvent e) {
    if (actor != null && !actor.isBlank() && !actor.equals(e.getActor())) {
      return false;
    }
    if (action != null
        && !action.isBlank()
        && !e.getAction().equalsIgnoreCase(action)
        && !e.getAction().startsWith(action + ".")) {
      return false;
    }
    if (outcome != null && !outcome.isBlank() && !outcome.equalsIgnoreCase(e.getOutcome())) {
      return false;
    }
    if (target != null && !target.isBlank() && !target.equals(e.getTarget())) {
      return false;
    }
    if (requestId != null
        && !requestId.isBlank()
        && !requestId.equals(e.getDetails().get("requestId"))
        && !requestId.equals(e.getTarget())) {
      return false;
    }
    Instant t = e.getEnvelope().getTime();
    return (since == null || !t.isBefore(since)) && (until == null || t.isBefore(until));
  }
}
