package io.lifeboat.storage.common;

import org.jspecify.annotations.Nullable;

/**
 * The parts of a failure message every cloud backend writes alike, and the walk along a cause chain
 * they share, so that messages read the same whichever backend failed.
 */
public final class Failures {

  private Failures() {}

  /**
   * "read chunks/ab in s3://bucket/prefix": the operation, the object when there is one, and where.
   */
  public static String what(String action, @Nullable String name, String location) {
    return action + (name == null ? "" : " " + name) + " in " + location;
  }

  /** "404 NoSuchBucket": the status, and the service's error code or reason when it gave one. */
  public static String said(int status, @Nullable Object code) {
    return status + (code == null ? "" : " " + code);
  }

  /** The class and message of the innermost cause, for "not reachable (...)". */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /** {@code e} or the first of its causes that is a {@code type}; null when there is none. */
  public static <T extends Throwable> @Nullable T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
