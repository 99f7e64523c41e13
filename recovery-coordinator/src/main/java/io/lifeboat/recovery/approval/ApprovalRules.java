package io.lifeboat.recovery.approval;

import io.lifeboat.events.ApprovalDecided;
import io.lifeboat.events.ApprovalRequested;
import io.lifeboat.events.ApprovalState;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a held change's approval does, in plain Java (the {@link ApprovalProcessor} applies it in
 * the coordinator's Streams app, exactly once): a request waits PENDING_APPROVAL until a different
 * admin approves it (RELEASED: its record is sent, once) or rejects it (REJECTED), or its time runs
 * out (EXPIRED: nothing is sent, and a later approval is refused).
 */
public final class ApprovalRules {

  public static final String PENDING = "PENDING_APPROVAL";
  public static final String RELEASED = "RELEASED";
  public static final String REJECTED = "REJECTED";
  public static final String EXPIRED = "EXPIRED";

  /**
   * The result of a decision.
   *
   * @param state the new state to keep; null when it does not change
   * @param release whether the held record is to be sent now
   * @param outcome for the audit event: APPROVED, REJECTED, EXPIRED or REFUSED
   * @param reason why, for a refusal
   */
  public record Decision(
      @Nullable ApprovalState state, boolean release, String outcome, String reason) {}

  private ApprovalRules() {}

  /** A new request's state; null when the request id is known already (a replay). */
  public static @Nullable ApprovalState requested(
      @Nullable ApprovalState current, ApprovalRequested request, Instant now) {
    if (current != null) {
      return null;
    }
    return ApprovalState.newBuilder()
        .setRequest(request)
        .setStatus(PENDING)
        .setRequestedAt(now)
        .build();
  }

  /** What an approval or rejection does to the request it names. */
  public static Decision decide(
      @Nullable ApprovalState current, ApprovalDecided decision, Instant now) {
    if (current == null) {
      return refused("no held change " + decision.getRequestId());
    }
    if (!current.getStatus().equals(PENDING)) {
      return refused(
          "change " + decision.getRequestId() + " is " + current.getStatus() + ", not pending");
    }
    if (!now.isBefore(current.getRequest().getExpiresAt())) {
      return new Decision(
          decided(current, EXPIRED, "", now, "expired at " + current.getRequest().getExpiresAt()),
          false,
          "REFUSED",
          "change "
              + decision.getRequestId()
              + " expired at "
              + current.getRequest().getExpiresAt());
    }
    if (!"admin".equals(decision.getApproverRole())) {
      return refused(
          "only an admin may approve or reject; "
              + decision.getApprover()
              + " is "
              + decision.getApproverRole());
    }
    if (io.lifeboat.stage.common.auth.Actor.HOST_TOKEN_ID.equals(decision.getApproverTokenId())) {
      return refused(hostTokenRefusal(decision.getApprove()));
    }
    if (samePerson(current.getRequest(), decision)) {
      return refused(
          decision.getApprover()
              + " asked for change "
              + decision.getRequestId()
              + ": a different admin must approve it (four eyes)");
    }
    if (decision.getApprove()) {
      return new Decision(
          decided(current, RELEASED, decision.getApprover(), now, decision.getReason()),
          true,
          "APPROVED",
          decision.getReason());
    }
    return new Decision(
        decided(current, REJECTED, decision.getApprover(), now, decision.getReason()),
        false,
        "REJECTED",
        decision.getReason());
  }

  /** The expired state of a pending request whose time ran out; null otherwise. */
  public static @Nullable ApprovalState expire(ApprovalState current, Instant now) {
    if (current.getStatus().equals(PENDING) && !now.isBefore(current.getRequest().getExpiresAt())) {
      return decided(
          current, EXPIRED, "", now, "expired at " + current.getRequest().getExpiresAt());
    }
    return null;
  }

  /**
   * Why the host's single token ({@code api-token}, the admin {@code api}) may not decide: whoever
   * can read the Lifeboat home holds it, so it is nobody's second pair of eyes.
   */
  public static String hostTokenRefusal(boolean approve) {
    return "the host's api-token cannot "
        + (approve ? "approve" : "reject")
        + ": approvals need a person's own admin token (lifeboat token add NAME --role admin;"
        + " --token-file)";
  }

  /** Whether the decision comes from who asked for the change (by name or by token). */
  public static boolean samePerson(ApprovalRequested request, ApprovalDecided decision) {
    return request.getRequester().equals(decision.getApprover())
        || (!request.getRequesterTokenId().isEmpty()
            && request.getRequesterTokenId().equals(decision.getApproverTokenId()));
  }

  private static ApprovalState decided(
      ApprovalState current, String status, String approver, Instant now, String reason) {
    return ApprovalState.newBuilder(current)
        .setStatus(status)
        .setApprover(approver)
        .setDecidedAt(now)
        .setReason(reason)
        .build();
  }

  private static Decision refused(String reason) {
    return new Decision(null, false, "REFUSED", reason);
  }
}
