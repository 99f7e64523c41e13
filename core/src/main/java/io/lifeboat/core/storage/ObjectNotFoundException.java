package io.lifeboat.core.storage;

/** The named object does not exist. Permanent. */
public final class ObjectNotFoundException extends StorageException {
  private static final long serialVersionUID = 1L;

  public ObjectNotFoundException(String location, String name) {
    super("no object " + name + " in " + location, null, true);
  }
}
