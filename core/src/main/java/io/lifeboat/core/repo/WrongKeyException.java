package io.lifeboat.core.repo;

/** The master key does not open this repository. Nothing was read or written. */
public final class WrongKeyException extends Exception {
  private static final long serialVersionUID = 1L;

  public WrongKeyException(String message) {
    super(message);
  }
}
