package io.lifeboat.core.compress;

/** Bytes that should decode but do not: damage, not a transient fault. */
public final class CorruptDataException extends Exception {
  private static final long serialVersionUID = 1L;

  public CorruptDataException(String message) {
    super(message);
  }
}
