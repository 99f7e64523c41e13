package io.lifeboat.recovery.executor;

import org.jspecify.annotations.Nullable;

/**
 * Whether command checks may run in this executor, and as whom. A command check runs a program a
 * plan names, so it is off unless the executor's own configuration turns it on; nothing that
 * arrives over Kafka can turn it on.
 *
 * @param enabled run command checks at all
 * @param runAs the user to run them as (needs an executor running as root; null: the executor's own
 *     user)
 */
public record CommandCheckPolicy(boolean enabled, @Nullable String runAs) {

  /** No command checks. */
  public static final CommandCheckPolicy DISABLED = new CommandCheckPolicy(false, null);

  /** Command checks as the executor's own user. */
  public static final CommandCheckPolicy ENABLED = new CommandCheckPolicy(true, null);
}
