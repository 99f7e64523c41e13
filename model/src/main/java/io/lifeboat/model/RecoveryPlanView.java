package io.lifeboat.model;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A recovery plan as the coordinator's API lists it ({@code GET /api/plans}): what it restores, and
 * where it stands in its life.
 *
 * @param name plan name
 * @param environment what it restores
 * @param description the plan's description
 * @param components component names
 * @param checks check names
 * @param rto the RTO objective as written
 * @param status {@code draft} when defined or changed, {@code validated} once a validation (or a
 *     recovery) of this definition succeeded, {@code ready} once a recovery test of it succeeded,
 *     {@code deprecated} when retired (it then runs only when forced)
 * @param validatedAt when this definition last validated, tested or recovered successfully
 * @param testedAt when its last successful recovery test ended
 * @param lastTestRtoMs that test's measured RTO
 * @param definition the plan itself
 */
public record RecoveryPlanView(
    String name,
    @Nullable String environment,
    @Nullable String description,
    List<String> components,
    List<String> checks,
    @Nullable String rto,
    String status,
    @Nullable Instant validatedAt,
    @Nullable Instant testedAt,
    long lastTestRtoMs,
    RecoveryPlanSpec definition) {}
