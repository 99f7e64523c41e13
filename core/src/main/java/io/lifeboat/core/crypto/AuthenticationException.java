package io.lifeboat.core.crypto;

/**
 * Ciphertext did not authenticate: it was altered, or it was sealed under another key. The message
 * never contains key material.
 */
public final class AuthenticationException extends Exception {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) {
    super(message);
  }
}
