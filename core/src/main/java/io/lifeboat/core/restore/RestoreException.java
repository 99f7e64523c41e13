package io.lifeboat.core.restore;

import java.util.List;

/** A restore that cannot start or did not finish; lists every problem found. */
public final class RestoreException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public RestoreException(List<String> problems, Throwable cause) {
    super(String.join("; ", problems), cause);
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
