package io.lifeboat.recovery.executor;

import io.lifeboat.core.policy.TargetPolicy;
import io.lifeboat.core.provider.CheckLogin;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What this executor may do, from its own configuration: nothing in a command can widen it.
 *
 * @param targets where restores may write and which database servers they may reach
 * @param commands whether (and as whom) command checks run
 * @param sqlLogin the role SQL checks connect as (never the target's own user)
 * @param checkHosts hosts HTTP checks may reach besides the database hosts of the recovery's own
 *     targets, lower case
 * @param refusals where a refused target is reported (the audit trail)
 */
public record ExecutorPolicy(
    TargetPolicy targets,
    CommandCheckPolicy commands,
    CheckLogin sqlLogin,
    Set<String> checkHosts,
    Refusals refusals) {

  public ExecutorPolicy {
    checkHosts =
        Set.copyOf(checkHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList());
  }

  /** Where the executor reports what its policy refused. */
  @FunctionalInterface
  public interface Refusals {

    /**
     * A recovery's target was refused.
     *
     * @param executionId the recovery
     * @param requestedBy who asked for it, as the coordinator's command says; may be empty
     * @param component the component
     * @param target the target as the plan names it
     * @param reasons why
     */
    void refused(
        String executionId,
        String requestedBy,
        String component,
        String target,
        List<String> reasons);

    /** Reports nowhere. */
    Refusals NONE = (executionId, requestedBy, component, target, reasons) -> {};
  }
}
