package io.lifeboat.core.repo;

/**
 * A stored object is there but is not what was written: it does not authenticate, does not
 * decompress, or its content does not match its id. Retrying will not help; another location may
 * hold a good copy.
 */
public final class DamagedObjectException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String objectName;

  public DamagedObjectException(String objectName, String reason) {
    super(objectName + ": " + reason);
    this.objectName = objectName;
  }

  public String objectName() {
    return objectName;
  }
}
