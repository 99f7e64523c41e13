package io.lifeboat.recovery.web;

import java.time.Instant;

/**
 * The change a request asked for was held for a second admin's approval instead of sent; the API
 * answers 202 with the request id.
 */
public final class HeldForApprovalException extends RuntimeException {

  private final String requestId;
  private final String action;
  private final Instant expiresAt;

  public HeldForApprovalException(String requestId, String action, Instant expiresAt) {
    super(action + " waits for a second admin's approval: lifeboat approve " + requestId);
    this.requestId = requestId;
    this.action = action;
    this.expiresAt = expiresAt;
  }

  public String requestId() {
    return requestId;
  }

  public String action() {
    return action;
  }

  public Instant expiresAt() {
    return expiresAt;
  }
}
