package io.lifeboat.recovery.plan;

import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RecoverySteps;
import io.lifeboat.model.BackupView;
import io.lifeboat.model.CatalogClient;
import io.lifeboat.model.CatalogQuery;
import io.lifeboat.model.RecoveryPlanSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a plan would do now, without doing anything: the backups it would use (as the catalog knows
 * them), its steps in order and how long they should take. The real resolution happens in the
 * executor's prepare step, from the repository itself.
 */
public final class PlanPreview {

  /**
   * One step as the API shows it.
   *
   * @param stepId id
   * @param kind prepare, restore or check
   * @param description what it does
   * @param dependsOn steps it waits for
   * @param estimateMs expected duration
   */
  public record StepView(
      String stepId, String kind, String description, List<String> dependsOn, long estimateMs) {}

  /**
   * @param name plan name
   * @param environment what it restores
   * @param plan the plan configuration
   * @param at point in time used, if any
   * @param backupId backup used for every component, if any
   * @param steps in order
   * @param estimatedMs total expected duration
   * @param objectiveRtoMs the RTO objective, 0 when none
   * @param dataAsOf when the oldest backup it would use was completed: a recovery now loses what
   *     changed after
   * @param rpoMs the data a recovery now would lose (from dataAsOf to now); 0 when unknown
   * @param objectiveRpoMs the RPO objective, 0 when none
   * @param estimateBasis per kind: measured or default
   * @param problems what would stop it now, as far as the catalog can tell
   */
  public record View(
      String name,
      @Nullable String environment,
      RecoveryPlanSpec plan,
      @Nullable Instant at,
      @Nullable String backupId,
      List<StepView> steps,
      long estimatedMs,
      long objectiveRtoMs,
      @Nullable Instant dataAsOf,
      long rpoMs,
      long objectiveRpoMs,
      Map<String, String> estimateBasis,
      List<String> problems) {}

  private PlanPreview() {}

  public static View of(
      RecoveryPlanSpec plan,
      @Nullable Instant at,
      @Nullable String backupId,
      CatalogClient catalog,
      Estimates estimates) {
    List<String> problems = new ArrayList<>(plan.problems());
    Instant when = at != null ? at : backupId == null ? plan.pointInTime().orElse(null) : null;
    String fixed = backupId != null ? backupId : when == null ? plan.backup() : null;
    Map<String, Planner.Resolved> resolved = new LinkedHashMap<>();
    Map<String, String> basis = new LinkedHashMap<>();
    Instant dataAsOf = null;
    for (RecoveryPlanSpec.ComponentTarget c : plan.components()) {
      Optional<Found> r = Optional.empty();
      try {
        r = resolve(c, plan, when, fixed, catalog);
      } catch (RuntimeException e) {
        problems.add(
            "cannot ask the catalog which backup holds " + c.name() + ": " + e.getMessage());
      }
      if (r.isEmpty()) {
        problems.add(
            "no verified backup in the catalog holds component "
                + c.name()
                + (fixed != null
                    ? " in backup " + fixed
                    : when != null ? " at or before " + when : ""));
      }
      if (r.isPresent()
          && r.get().completedAt() != null
          && (dataAsOf == null || r.get().completedAt().isBefore(dataAsOf))) {
        dataAsOf = r.get().completedAt();
      }
      Planner.Resolved x =
          r.map(Found::resolved).orElse(new Planner.Resolved("files", "?", 0, c.target()));
      resolved.put(c.name(), x);
      basis.put(x.kind(), estimates.basis(x.kind()));
    }
    List<StepView> steps = new ArrayList<>();
    if (problems.stream().noneMatch(p -> p.contains("cycle"))) {
      RecoveryStep prepare = Planner.prepare(plan, when, fixed, "", estimates);
      steps.add(view(prepare));
      if (plan.problems().isEmpty()) {
        Planner.steps(plan, RecoveryMode.EXECUTE, resolved, estimates)
            .forEach(s -> steps.add(view(s)));
      }
    }
    long total = steps.stream().mapToLong(StepView::estimateMs).sum();
    long objective =
        plan.problems().isEmpty() ? plan.rtoObjective().map(d -> d.toMillis()).orElse(0L) : 0L;
    long rpo =
        dataAsOf == null
            ? 0
            : Math.max(0, java.time.Duration.between(dataAsOf, Instant.now()).toMillis());
    long rpoObjective =
        plan.problems().isEmpty() ? plan.rpoObjective().map(d -> d.toMillis()).orElse(0L) : 0L;
    if (rpoObjective > 0 && rpo > rpoObjective) {
      problems.add(
          "the newest usable backups are older than the RPO objective: data as of " + dataAsOf);
    }
    return new View(
        plan.name(),
        plan.environment(),
        plan,
        when,
        fixed,
        steps,
        total,
        objective,
        dataAsOf,
        rpo,
        rpoObjective,
        basis,
        problems);
  }

  private static StepView view(RecoveryStep s) {
    return new StepView(
        s.getStepId(),
        RecoverySteps.kind(s),
        s.getDescription(),
        List.copyOf(s.getDependsOn()),
        s.getEstimateMs());
  }

  private record Found(Planner.Resolved resolved, @Nullable Instant completedAt) {}

  private static Optional<Found> resolve(
      RecoveryPlanSpec.ComponentTarget c,
      RecoveryPlanSpec plan,
      @Nullable Instant at,
      @Nullable String backupId,
      CatalogClient catalog) {
    Set<String> usable = Set.of("SUCCESS", "PARTIAL");
    List<BackupView> candidates = new ArrayList<>();
    if (backupId != null) {
      catalog.get(backupId).ifPresent(candidates::add);
    } else {
      String from = c.from() != null ? c.from() : plan.from();
      candidates.addAll(
          catalog.list(new CatalogQuery(from, c.name(), null, null, null, null, 1000)));
    }
    return candidates.stream()
        .filter(b -> usable.contains(b.status()))
        .filter(b -> at == null || (b.completedAt() != null && !b.completedAt().isAfter(at)))
        .filter(
            b ->
                b.components() != null
                    && b.components().stream()
                        .anyMatch(x -> x.name().equals(c.name()) && !"FAILED".equals(x.status())))
        .max(
            Comparator.comparing(
                BackupView::completedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
        .map(
            b -> {
              var comp =
                  b.components().stream()
                      .filter(x -> x.name().equals(c.name()))
                      .findFirst()
                      .orElseThrow();
              return new Found(
                  new Planner.Resolved(comp.kind(), b.backupId(), comp.sizeBytes(), c.target()),
                  b.completedAt());
            });
  }
}
