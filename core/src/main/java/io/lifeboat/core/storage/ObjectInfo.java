package io.lifeboat.core.storage;

import java.util.Objects;

/**
 * An object as listed by a backend.
 *
 * @param name full object name, e.g. {@code chunks/ab/ab12...}
 * @param size length in bytes
 */
public record ObjectInfo(String name, long size) {
  public ObjectInfo {
    Objects.requireNonNull(name, "name");
  }
}
