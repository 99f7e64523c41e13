package io.lifeboat.stage.common.auth;

/**
 * Each kind of API request and the role it needs at least. Some need more depending on what they
 * touch (a recovery into production needs admin): the controller that knows checks that with {@link
 * ApiAccess#require}.
 */
public enum Operation {
  READ("read", Role.VIEWER),
  BACKUP("backup.create", Role.OPERATOR),
  CANCEL("backup.cancel", Role.OPERATOR),
  VERIFY("backup.verify", Role.OPERATOR),
  RESTORE("backup.restore", Role.OPERATOR),
  DELETE("backup.delete", Role.ADMIN),
  PLAN_DEFINE("plan.define", Role.OPERATOR),
  PLAN_DELETE("plan.delete", Role.OPERATOR),
  RECOVER("recovery.run", Role.OPERATOR),
  ROLLBACK("recovery.rollback", Role.ADMIN),
  SCHEDULE_DEFINE("schedule.define", Role.ADMIN),
  SCHEDULE_DELETE("schedule.delete", Role.ADMIN),
  APPROVE("approval.approve", Role.ADMIN),
  REJECT("approval.reject", Role.ADMIN),
  /**
   * A request record a client built and the API signs and sends (the command line in roles mode):
   * at least an operator; the API and the service that acts check what it asks for.
   */
  SEND("request.send", Role.OPERATOR),
  /**
   * A storage command run outside the roles ({@code forget}, {@code prune}, {@code delete
   * --break-glass}) is recorded: an operator or admin may say so (the record names them; a viewer
   * must not raise critical alerts); the command acts with the master key, not through the API.
   */
  BREAK_GLASS("break-glass", Role.OPERATOR),
  /** A change the table does not name: admin, so a new route is never open by mistake. */
  OTHER_CHANGE("change", Role.ADMIN);

  private final String action;
  private final Role required;

  Operation(String action, Role required) {
    this.action = action;
    this.required = required;
  }

  /** The name audit events give it. */
  public String action() {
    return action;
  }

  /** The least role that may do it. */
  public Role required() {
    return required;
  }
}
