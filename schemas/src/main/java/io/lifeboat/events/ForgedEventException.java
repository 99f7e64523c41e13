package io.lifeboat.events;

/**
 * A record that should be signed is not, or its signature is wrong: it is dead-lettered, alerted
 * on, never acted on.
 */
public final class ForgedEventException extends InvalidEventException {

  private static final long serialVersionUID = 1L;

  public ForgedEventException(String message) {
    super(message);
  }
}
