package io.lifeboat.stage.common.auth;

import java.util.Locale;

/**
 * What a token may do. Each role includes the ones before it: an operator may read, an admin may do
 * what an operator may.
 */
public enum Role {
  /** Reads the catalog, plans, recoveries, schedules and the audit trail. */
  VIEWER,
  /** Backs up, cancels, verifies, restores and recovers into targets that are not production. */
  OPERATOR,
  /**
   * Deletes, changes schedules and retention, recovers into production, rolls back: what cannot be
   * undone.
   */
  ADMIN;

  /** Whether this role may do what {@code required} may. */
  public boolean covers(Role required) {
    return compareTo(required) >= 0;
  }

  /** The name in tokens files, events and answers: viewer, operator, admin. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the roles there are
   */
  public static Role parse(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown role '" + s + "': give viewer, operator or admin", e);
    }
  }
}
