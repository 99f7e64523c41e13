package io.lifeboat.events;

/**
 * The kinds of recovery step the coordinator and the executors share. A step's kind is the type of
 * its {@link RecoveryStep#getSpec() spec}: {@link PrepareStepSpec}, {@link RestoreStepSpec} or
 * {@link CheckStepSpec}; these names are how people see it.
 */
public final class RecoverySteps {

  /** Resolves which backup each component comes from and validates everything; changes nothing. */
  public static final String PREPARE = "prepare";

  /** Restores one component into its target (moving an occupied target aside first). */
  public static final String RESTORE = "restore";

  /** Runs one user-defined health check (SQL, HTTP or command). */
  public static final String CHECK = "check";

  private RecoverySteps() {}

  /** The step's kind, by the type of its spec: prepare, restore, check, or unknown. */
  public static String kind(RecoveryStep step) {
    Object spec = step.getSpec();
    if (spec instanceof PrepareStepSpec) {
      return PREPARE;
    }
    if (spec instanceof RestoreStepSpec) {
      return RESTORE;
    }
    if (spec instanceof CheckStepSpec) {
      return CHECK;
    }
    return "unknown";
  }
}
