package io.lifeboat.model;

import org.jspecify.annotations.Nullable;

/** A client call that did not work: unreachable service, bad answer, not found. */
public class LifeboatClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public LifeboatClientException(String message, int status, @Nullable Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** HTTP status of the answer, or 0 when there was none. */
  public int status() {
    return status;
  }
}
