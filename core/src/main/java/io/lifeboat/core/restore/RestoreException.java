package io.lifeboat.core.restore;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A restore that cannot start or did not finish; lists every problem found. */
public final class RestoreException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;
  private final boolean undone;

  public RestoreException(List<String> problems, @Nullable Throwable cause) {
    this(problems, cause, true);
  }

  /**
   * @param undone whether every target is as it was before (false: a rollback failed or was
   *     impossible)
   */
  public RestoreException(List<String> problems, @Nullable Throwable cause, boolean undone) {
    super(String.join("; ", problems), cause);
    this.problems = List.copyOf(problems);
    this.undone = undone;
  }

  /** Whether every target this restore touched is as it was before it. */
  public boolean undone() {
    return undone;
  }

  public List<String> problems() {
    return problems;
  }
}
