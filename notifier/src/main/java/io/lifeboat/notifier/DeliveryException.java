package io.lifeboat.notifier;

/** A delivery that did not happen; its message names the channel but none of its secrets. */
public final class DeliveryException extends Exception {

  private static final long serialVersionUID = 1L;

  public DeliveryException(String message) {
    super(message);
  }
}
