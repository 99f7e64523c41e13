package io.lifeboat.core.provider;

/** A source or target spec that cannot be used, with a message that says why. */
public final class InvalidSourceException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidSourceException(String message) {
    super(message);
  }
}
