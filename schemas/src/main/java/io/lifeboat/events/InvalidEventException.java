package io.lifeboat.events;

import org.jspecify.annotations.Nullable;

/** Bytes that are not a readable Lifeboat event of the expected type. Never retried. */
public class InvalidEventException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
