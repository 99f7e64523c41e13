package io.lifeboat.recovery.query;

import org.jspecify.annotations.Nullable;

/** The coordinator's stores cannot be queried yet (starting, rebalancing). */
public final class CoordinatorNotReadyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CoordinatorNotReadyException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
