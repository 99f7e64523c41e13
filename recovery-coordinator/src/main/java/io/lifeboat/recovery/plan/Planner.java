package io.lifeboat.recovery.plan;

import io.lifeboat.core.Sizes;
import io.lifeboat.events.CheckStepSpec;
import io.lifeboat.events.IfExists;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStep;
import io.lifeboat.events.RestoreStepSpec;
import io.lifeboat.events.StepStatus;
import io.lifeboat.model.PlanEvents;
import io.lifeboat.model.RecoveryPlanSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a plan into ordered steps. First {@code prepare} (resolve which backup each component comes
 * from, validate everything, change nothing); then one {@code restore} per component, in dependency
 * order: secrets, then configuration, then other files, then databases, plus any {@code after} the
 * plan states; then the user's checks, after every restore. Each restore has a compensation (put
 * the original back); checks change nothing.
 */
public final class Planner {

  /** The prepare step's id. */
  public static final String PREPARE_ID = "prepare";

  /**
   * What prepare found for one component.
   *
   * @param kind provider kind
   * @param backupId the backup it comes from
   * @param sizeBytes its size in that backup
   * @param target where it goes (a scratch target in TEST mode)
   */
  public record Resolved(
      String kind,
      String backupId,
      long sizeBytes,
      String target,
      @org.jspecify.annotations.Nullable String recoveryTargetTime) {

    public Resolved(String kind, String backupId, long sizeBytes, String target) {
      this(kind, backupId, sizeBytes, target, null);
    }
  }

  private Planner() {}

  /** Restore order group of a kind: lower first. */
  static int group(String kind) {
    return switch (kind == null ? "" : kind.toLowerCase(Locale.ROOT)) {
      case "secrets" -> 0;
      case "config" -> 1;
      case "postgres", "pgbase", "mysql", "mariadb", "redis" -> 3;
      default -> 2;
    };
  }

  public static RecoveryStep prepare(
      RecoveryPlanSpec plan,
      @Nullable Instant at,
      @Nullable String backupId,
      String requestedBy,
      Estimates estimates) {
    return RecoveryStep.newBuilder()
        .setStepId(PREPARE_ID)
        .setDescription(
            "resolve backups"
                + (at != null ? " at " + at : backupId != null ? " from " + backupId : "")
                + " and validate targets, tools and space")
        .setSpec(PlanEvents.prepare(plan, at, backupId, requestedBy))
        .setEstimateMs(estimates.prepareMs(plan.components().size()))
        .build();
  }

  /** The steps after prepare, in the order they run. */
  public static List<RecoveryStep> steps(
      RecoveryPlanSpec plan,
      RecoveryMode mode,
      Map<String, Resolved> resolved,
      Estimates estimates) {
    boolean test = mode == RecoveryMode.TEST;
    List<String> order = restoreOrder(plan, resolved);
    Map<String, Set<String>> deps = dependencies(plan, resolved);
    List<RecoveryStep> steps = new ArrayList<>();
    Map<String, String> targets = new LinkedHashMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    for (String name : order) {
      RecoveryPlanSpec.ComponentTarget c = plan.component(name).orElseThrow();
      Resolved r = resolvedOf(resolved, name);
      targets.put(name, r.target());
      kinds.put(name, r.kind());
      List<String> dependsOn = new ArrayList<>();
      dependsOn.add(PREPARE_ID);
      Objects.requireNonNull(deps.get(name)).stream()
          .sorted()
          .forEach(d -> dependsOn.add(restoreId(d)));
      RestoreStepSpec spec =
          RestoreStepSpec.newBuilder()
              .setComponent(name)
              .setKind(r.kind())
              .setBackupId(r.backupId())
              .setTarget(r.target())
              .setIfExists(test ? IfExists.REFUSE : PlanEvents.ifExists(c.ifExistsOrDefault()))
              .setScratch(test)
              .setSizeBytes(r.sizeBytes())
              .setRecoveryTargetTime(r.recoveryTargetTime())
              .build();
      steps.add(
          RecoveryStep.newBuilder()
              .setStepId(restoreId(name))
              .setComponent(name)
              .setDescription(
                  "restore "
                      + name
                      + " ("
                      + r.kind()
                      + ", "
                      + Sizes.human(r.sizeBytes())
                      + " from "
                      + r.backupId()
                      + ") into "
                      + r.target()
                      + (test ? " (scratch)" : ""))
              .setDependsOn(dependsOn)
              .setCompensable(true)
              .setSpec(spec)
              .setEstimateMs(estimates.restoreMs(r.kind(), r.sizeBytes()))
              .build());
    }
    List<String> allRestores = order.stream().map(Planner::restoreId).toList();
    for (RecoveryPlanSpec.Check k : plan.checks()) {
      CheckStepSpec spec =
          CheckStepSpec.newBuilder()
              .setCheck(PlanEvents.check(k))
              .setTargets(targets)
              .setKinds(kinds)
              .build();
      boolean skipped = test && !k.runsInTest();
      steps.add(
          RecoveryStep.newBuilder()
              .setStepId(checkId(k.name()))
              .setDescription("check " + k.name() + ": " + describe(k))
              .setDependsOn(allRestores)
              .setSpec(spec)
              .setStatus(skipped ? StepStatus.SKIPPED : StepStatus.PENDING)
              .setMessage(
                  skipped
                      ? "not run in recovery tests (the service is not pointed at the scratch targets; inTest: true runs it)"
                      : null)
              .setEstimateMs(skipped ? 0 : estimates.checkMs())
              .build());
    }
    return steps;
  }

  public static String restoreId(String component) {
    return "restore:" + component;
  }

  public static String checkId(String check) {
    return "check:" + check;
  }

  /**
   * For each component, the components restored before it: the ones it names in {@code after}, and
   * every component of a lower group unless that would close a cycle with what is already required
   * (an explicit {@code after} always wins over the group order).
   */
  static Map<String, Set<String>> dependencies(
      RecoveryPlanSpec plan, Map<String, Resolved> resolved) {
    Map<String, Set<String>> deps = new HashMap<>();
    plan.components().forEach(c -> deps.put(c.name(), new HashSet<>(c.after())));
    for (RecoveryPlanSpec.ComponentTarget a : plan.components()) {
      for (RecoveryPlanSpec.ComponentTarget b : plan.components()) {
        if (group(resolvedOf(resolved, b.name()).kind())
                < group(resolvedOf(resolved, a.name()).kind())
            && !reachable(b.name(), deps).contains(a.name())) {
          Objects.requireNonNull(deps.get(a.name())).add(b.name());
        }
      }
    }
    return deps;
  }

  /** Components in an order that honours the dependencies; ties by group, then plan order. */
  static List<String> restoreOrder(RecoveryPlanSpec plan, Map<String, Resolved> resolved) {
    Map<String, Set<String>> deps = dependencies(plan, resolved);
    List<String> order = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    while (order.size() < plan.components().size()) {
      String next = null;
      int bestGroup = Integer.MAX_VALUE;
      for (RecoveryPlanSpec.ComponentTarget c : plan.components()) {
        int g = group(resolvedOf(resolved, c.name()).kind());
        if (!placed.contains(c.name()) && placed.containsAll(deps.get(c.name())) && g < bestGroup) {
          next = c.name();
          bestGroup = g;
        }
      }
      if (next == null) {
        throw new IllegalArgumentException("components depend on each other in a cycle");
      }
      order.add(next);
      placed.add(next);
    }
    return order;
  }

  /** The backup found for a component of the plan: the caller resolved every one. */
  private static Resolved resolvedOf(Map<String, Resolved> resolved, String component) {
    return Objects.requireNonNull(resolved.get(component));
  }

  private static Set<String> reachable(String from, Map<String, Set<String>> edges) {
    Set<String> seen = new HashSet<>();
    List<String> todo = new ArrayList<>(edges.getOrDefault(from, Set.of()));
    while (!todo.isEmpty()) {
      String n = todo.remove(todo.size() - 1);
      if (seen.add(n)) {
        todo.addAll(edges.getOrDefault(n, Set.of()));
      }
    }
    return seen;
  }

  private static String describe(RecoveryPlanSpec.Check k) {
    return switch (Objects.requireNonNull(k.type())) {
      case "sql" -> "on " + k.component() + " `" + k.sql() + "` returns " + k.expect();
      case "http" ->
          "GET " + k.http() + " answers " + (k.expectStatus() == null ? 200 : k.expectStatus());
      default ->
          "`"
              + String.join(" ", k.command())
              + "` exits "
              + (k.expectExit() == null ? 0 : k.expectExit());
    };
  }
}
