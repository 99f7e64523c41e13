package io.lifeboat.core.storage;

import java.util.Optional;

/** The parts of a ranged read every backend answers alike. */
public final class Ranges {

  private Ranges() {}

  /**
   * Rejects a negative range, and answers an empty one (after checking that the object exists and
   * the offset is within it); empty when the backend has to read.
   */
  public static Optional<byte[]> trivial(Backend backend, String name, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw StorageException.permanent("invalid range " + offset + "+" + length, null);
    }
    if (length > 0) {
      return Optional.empty();
    }
    long size =
        backend.size(name).orElseThrow(() -> new ObjectNotFoundException(backend.location(), name));
    if (offset > size) {
      throw pastEnd(backend.location(), name, offset, length, size);
    }
    return Optional.of(new byte[0]);
  }

  /** A read that wanted bytes past the end of the object ({@code size} -1 when unknown). */
  public static StorageException pastEnd(
      String location, String name, long offset, int length, long size) {
    return StorageException.permanent(
        "short read of "
            + name
            + " in "
            + location
            + ": wanted "
            + length
            + " bytes at "
            + offset
            + (size >= 0 ? ", object has " + size : ", past the end of the object"),
        null);
  }
}
