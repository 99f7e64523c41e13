package io.lifeboat.events;

/**
 * The vocabulary shared by the recovery coordinator and the step executors: step kinds and the
 * keys of {@link RecoveryStep#getParameters()} and {@link RecoveryStepResult#getOutputs()}.
 */
public final class RecoverySteps {

  /** Resolves which backup each component comes from and validates everything; changes nothing. */
  public static final String PREPARE = "prepare";
  /** Restores one component into its target (moving an occupied target aside first). */
  public static final String RESTORE = "restore";
  /** Runs one user-defined health check (SQL, HTTP or command). */
  public static final String CHECK = "check";

  /** prepare: the plan configuration, JSON. */
  public static final String PLAN = "plan";
  /** prepare: the point in time, ISO-8601, when given. */
  public static final String AT = "at";
  /** prepare: every component from this backup, when given. */
  public static final String BACKUP_ID = "backupId";

  /** restore: the component name (as in the backup). */
  public static final String COMPONENT = "component";
  /** restore: the provider kind of the component. */
  public static final String KIND = "kind";
  /** restore: the target spec (a scratch target in TEST mode). */
  public static final String TARGET = "target";
  /** restore: refuse, replace or merge when the target holds data. */
  public static final String OCCUPIED = "occupied";
  /** restore: "true" when the target is a scratch target the executor made and must remove. */
  public static final String SCRATCH = "scratch";
  /** restore: the plaintext size of the component, for progress. */
  public static final String SIZE_BYTES = "sizeBytes";

  /** check: the check, JSON (see the client's RecoveryPlanSpec.Check). */
  public static final String CHECK_SPEC = "check";
  /** check: component name to effective target, JSON object, for SQL checks and command environments. */
  public static final String TARGETS = "targets";

  /** check: component name to provider kind, JSON object. */
  public static final String KINDS = "kinds";

  /** restore output: the moved-aside original, JSON {kind, target, location, movedAt}; absent when nothing was there. */
  public static final String ASIDE = "aside";
  /** restore output: health-check lines, one per line. */
  public static final String HEALTH = "health";

  /** Result output of a failed step: "false" when it could not undo its own changes (the target is not as it was). */
  public static final String UNDONE = "undone";

  /** prepare outputs, per component NAME: "component.NAME.backupId", ".kind", ".sizeBytes", ".target", ".completedAt". */
  public static String componentOutput(String component, String field) {
    return "component." + component + "." + field;
  }

  private RecoverySteps() {}
}
