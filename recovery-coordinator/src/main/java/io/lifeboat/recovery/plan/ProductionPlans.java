package io.lifeboat.recovery.plan;

import io.lifeboat.model.RecoveryPlanSpec;
import io.lifeboat.stage.common.auth.ApiAccess;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether a plan writes to production ({@code lifeboat.auth.production.*}): what makes defining it,
 * or running it, an admin's. One rule for the API, the saga and the plan store. A definition that
 * cannot be read counts as production (the stricter rule).
 */
public final class ProductionPlans {

  private ProductionPlans() {}

  /**
   * Whether running the plan may write to production: its environment label is a production one, or
   * one of its targets (its environments' too when {@code everyEnvironment}) matches the production
   * targets.
   */
  public static boolean touches(ApiAccess access, RecoveryPlanSpec plan, boolean everyEnvironment) {
    List<String> targets = new ArrayList<>();
    plan.components().forEach(c -> targets.add(c.target()));
    // a recovery test writes into its testTarget, and removes what it wrote
    plan.components().forEach(c -> targets.add(c.testTarget()));
    if (everyEnvironment) {
      plan.environmentsOrEmpty().forEach((env, e) -> targets.addAll(e.targets().values()));
      for (String env : plan.environmentsOrEmpty().keySet()) {
        if (access.production(env, List.of())) {
          return true;
        }
      }
    }
    return access.production(plan.environment(), targets);
  }

  /** {@link #touches(ApiAccess, RecoveryPlanSpec, boolean)} of a stored definition (JSON). */
  public static boolean touches(ApiAccess access, String definition, boolean everyEnvironment) {
    try {
      return touches(access, RecoveryPlanSpec.parse(definition), everyEnvironment);
    } catch (RuntimeException unreadable) {
      return true;
    }
  }

  /**
   * Whether an EXECUTE of the plan writes to production: into its own targets, or into {@code
   * environment} (one of its {@code environments:}, as failover runs it) when given.
   */
  public static boolean execute(ApiAccess access, String definition, @Nullable String environment) {
    if (environment == null || environment.isBlank()) {
      return touches(access, definition, false);
    }
    try {
      RecoveryPlanSpec plan = RecoveryPlanSpec.parse(definition);
      List<String> targets = new ArrayList<>();
      plan.components().forEach(c -> targets.add(c.target()));
      var env = plan.environmentsOrEmpty().get(environment);
      if (env != null) {
        targets.addAll(env.targets().values());
      }
      return access.production(environment, targets);
    } catch (RuntimeException unreadable) {
      return true;
    }
  }

  /**
   * Why defining, changing or deleting a plan is an admin's, or empty when an operator may: the
   * plan can recover into production (before or after the change), or a definition being made or
   * replaced has checks (SQL and HTTP checks reach servers, command checks run on the executor's
   * host). A definition that cannot be read counts as both.
   *
   * @param old the stored definition (JSON), or null
   * @param changed the new definition (JSON), or null when the plan is deleted
   */
  public static java.util.Optional<String> adminOnly(
      ApiAccess access, String name, @Nullable String old, @Nullable String changed) {
    if ((old != null && touches(access, old, true))
        || (changed != null && touches(access, changed, true))) {
      return java.util.Optional.of("plan " + name + " can recover into production");
    }
    if (changed != null && (hasChecks(changed) || (old != null && hasChecks(old)))) {
      return java.util.Optional.of(
          "plan "
              + name
              + " has checks (SQL and HTTP checks reach servers, command checks run on the"
              + " executor's host)");
    }
    return java.util.Optional.empty();
  }

  private static boolean hasChecks(String definition) {
    try {
      return RecoveryPlanSpec.parse(definition).hasChecks();
    } catch (RuntimeException unreadable) {
      return true;
    }
  }
}
