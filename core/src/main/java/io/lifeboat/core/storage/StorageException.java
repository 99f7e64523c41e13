package io.lifeboat.core.storage;

import org.jspecify.annotations.Nullable;

/**
 * A storage operation failed. {@link #isPermanent()} decides whether a retry can help: a network
 * blip is transient; a missing object, bad credentials or a missing bucket are permanent. The
 * message never contains credentials.
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean permanent;
  private final boolean full;

  public StorageException(String message, @Nullable Throwable cause, boolean permanent) {
    this(message, cause, permanent, false);
  }

  private StorageException(
      String message, @Nullable Throwable cause, boolean permanent, boolean full) {
    super(message, cause);
    this.permanent = permanent;
    this.full = full;
  }

  /**
   * The storage has no room left (a full disk, a quota). Permanent: space seldom comes back in the
   * seconds a retry waits, and the backup should fail at once with this reason and an alert.
   */
  public static StorageException full(String message, @Nullable Throwable cause) {
    return new StorageException(message, cause, true, true);
  }

  /** Whether the storage ran out of space (see {@link #full}). */
  public boolean isFull() {
    return full;
  }

  public static StorageException transientFault(String message, @Nullable Throwable cause) {
    return new StorageException(message, cause, false);
  }

  public static StorageException permanent(String message, @Nullable Throwable cause) {
    return new StorageException(message, cause, true);
  }

  public boolean isPermanent() {
    return permanent;
  }
}
