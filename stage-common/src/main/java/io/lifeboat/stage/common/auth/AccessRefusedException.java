package io.lifeboat.stage.common.auth;

/**
 * An authenticated request asked for more than its role allows; the API answers 403 with the
 * operation, the role it needed and the one it had.
 */
public final class AccessRefusedException extends RuntimeException {

  private final Operation operation;
  private final Role required;

  public AccessRefusedException(Operation operation, Role required, String message) {
    super(message);
    this.operation = operation;
    this.required = required;
  }

  public Operation operation() {
    return operation;
  }

  public Role required() {
    return required;
  }
}
