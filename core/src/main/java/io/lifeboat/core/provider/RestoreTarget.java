package io.lifeboat.core.provider;

import java.util.Objects;

/**
 * Where a component is restored to.
 *
 * @param spec provider-specific target, e.g. a folder path for files
 * @param overwrite true to restore into a target that is not empty
 */
public record RestoreTarget(String spec, boolean overwrite) {
  public RestoreTarget {
    Objects.requireNonNull(spec, "spec");
  }
}
