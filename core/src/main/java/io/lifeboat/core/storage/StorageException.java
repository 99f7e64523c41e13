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

  public StorageException(String message, @Nullable Throwable cause, boolean permanent) {
    super(message, cause);
    this.permanent = permanent;
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
