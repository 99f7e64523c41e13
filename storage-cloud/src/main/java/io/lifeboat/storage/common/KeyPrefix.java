package io.lifeboat.storage.common;

import io.lifeboat.core.storage.ObjectNames;
import io.lifeboat.core.storage.StorageException;
import java.util.Objects;
import java.util.Optional;

/**
 * Object names as keys under a location's prefix, and listed keys back as names: the mapping every
 * cloud backend makes alike, so a repository can be copied between them as plain objects. A listed
 * key that no valid name maps to (a folder marker, a foreign file, a probe) is not an object of the
 * repository.
 */
public final class KeyPrefix {

  private final String prefix;

  /** {@code prefix} is "" or ends with '/'. */
  public KeyPrefix(String prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** The key of an object name; a permanent {@link StorageException} for an invalid name. */
  public String key(String name) {
    return prefix + ObjectNames.check(name);
  }

  /**
   * The key prefix to list for the names that start with {@code namePrefix}, once it is checked.
   */
  public String listing(String namePrefix) {
    ObjectNames.checkPrefix(namePrefix);
    return prefix + namePrefix;
  }

  /**
   * The object name of a key from a listing of this prefix; empty when no valid name maps to it.
   */
  public Optional<String> name(String key) {
    String name = key.substring(prefix.length());
    try {
      ObjectNames.check(name);
      return Optional.of(name);
    } catch (StorageException e) {
      return Optional.empty();
    }
  }
}
