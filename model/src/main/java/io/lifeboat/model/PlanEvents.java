package io.lifeboat.model;

import io.lifeboat.events.CheckSpec;
import io.lifeboat.events.CheckType;
import io.lifeboat.events.ComponentTargetSpec;
import io.lifeboat.events.IfExists;
import io.lifeboat.events.PrepareStepSpec;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A recovery plan as the typed step records the coordinator sends the executors: the plan's
 * components and checks, validated, with their defaults applied.
 */
public final class PlanEvents {

  private PlanEvents() {}

  /** The prepare step of a plan, for a point in time or a backup (or neither: the newest). */
  public static PrepareStepSpec prepare(
      RecoveryPlanSpec plan, @Nullable Instant at, @Nullable String backupId, String requestedBy) {
    List<ComponentTargetSpec> components =
        plan.components().stream()
            .map(
                c ->
                    ComponentTargetSpec.newBuilder()
                        .setName(c.name())
                        .setTarget(c.target())
                        .setIfExists(ifExists(c.ifExistsOrDefault()))
                        .setFrom(c.from() != null ? c.from() : plan.from())
                        .setTestTarget(c.testTarget())
                        .build())
            .toList();
    return PrepareStepSpec.newBuilder()
        .setComponents(components)
        .setChecks(plan.checks().stream().map(PlanEvents::check).toList())
        .setAt(at)
        .setBackupId(backupId)
        .setRequestedBy(requestedBy)
        .build();
  }

  /** A plan's check as a step record. */
  public static CheckSpec check(RecoveryPlanSpec.Check k) {
    return CheckSpec.newBuilder()
        .setName(k.name())
        .setType(CheckType.valueOf(Objects.requireNonNull(k.type()).toUpperCase(Locale.ROOT)))
        .setSql(k.sql())
        .setComponent(k.component())
        .setExpect(k.expect())
        .setHttp(k.http())
        .setExpectStatus(k.expectStatus() == null ? 200 : k.expectStatus())
        .setCommand(k.command() == null ? List.of() : k.command())
        .setExpectExit(k.expectExit() == null ? 0 : k.expectExit())
        .setTimeoutMs(k.timeoutOrDefault().toMillis())
        .setInTest(k.runsInTest())
        .build();
  }

  /** replace, refuse or merge (as a plan says it) as the step record's value. */
  public static IfExists ifExists(String planValue) {
    return IfExists.valueOf((planValue == null ? "replace" : planValue).toUpperCase(Locale.ROOT));
  }
}
