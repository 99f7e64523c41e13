package io.lifeboat.core.provider;

import java.util.Objects;

/**
 * Where a component is restored to, and what to do when something is already there.
 *
 * @param spec provider-specific target: a folder for files, a database URI for databases
 * @param occupied what to do when the target already holds data
 */
public record RestoreTarget(String spec, Occupied occupied) {

  /** What a restore may do with a target that already holds data. */
  public enum Occupied {
    /** Refuse to restore (the default): nothing is touched. */
    REFUSE,
    /** Write into it, replacing entries of the same name (folders only). */
    MERGE,
    /** Move the existing target aside, restore, health-check, and put it back if anything fails. */
    REPLACE
  }

  public RestoreTarget {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(occupied, "occupied");
  }

  public RestoreTarget(String spec) {
    this(spec, Occupied.REFUSE);
  }
}
