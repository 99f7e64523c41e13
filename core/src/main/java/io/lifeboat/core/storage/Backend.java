package io.lifeboat.core.storage;

import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Object storage for a repository: a flat namespace of immutable-once-written objects named as
 * {@link ObjectNames} allows. Implementations: local folder, in-memory; cloud backends implement
 * the same contract and must pass {@code BackendContractTest}.
 *
 * <p>Every method may throw {@link StorageException}; {@link StorageException#isPermanent()} says
 * whether retrying can help. A missing container (bucket, folder root) is a permanent error, never
 * an empty repository. Implementations are thread-safe.
 */
public interface Backend extends AutoCloseable {

  /** Where this backend stores, for messages and events. Never contains credentials. */
  String location();

  /**
   * Writes the object unless one with that name exists. Safe to retry and to race: of concurrent
   * callers with the same name at most one returns true, and an existing object is never altered. A
   * reader never sees a partly written object.
   *
   * @return true when this call wrote the object, false when it was already there. Behind a
   *     retrying decorator, false may also mean that an earlier attempt of this very call wrote it
   *     and its answer was lost: a caller that must know compares the stored bytes.
   */
  boolean putIfAbsent(String name, byte[] data);

  /** Reads a whole object. @throws ObjectNotFoundException when it does not exist */
  byte[] get(String name);

  /**
   * Reads {@code length} bytes at {@code offset}. A range past the end of the object is a permanent
   * error (a short read must never pass as data).
   */
  byte[] get(String name, long offset, int length);

  /** The object's size, or empty when it does not exist. */
  OptionalLong size(String name);

  /**
   * A token that changes whenever the object may have been rewritten or replaced (a file's change
   * time and inode, an ETag, a generation), or empty when the backend cannot tell or the object
   * does not exist. Lets a reader that authenticated an object skip reading it again while the
   * token is the same; silent media corruption does not change it.
   */
  default java.util.Optional<String> version(String name) {
    return java.util.Optional.empty();
  }

  default boolean exists(String name) {
    return size(name).isPresent();
  }

  /**
   * Calls {@code each} exactly once for every object whose name starts with {@code prefix}, in no
   * particular order. Keys that are not valid {@link ObjectNames} (written by something else) are
   * not reported.
   */
  void list(String prefix, Consumer<ObjectInfo> each);

  /**
   * Deletes an object.
   *
   * @return false when there was nothing to delete
   */
  boolean delete(String name);

  @Override
  default void close() {}
}
