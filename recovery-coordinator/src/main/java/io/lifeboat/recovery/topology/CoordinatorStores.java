package io.lifeboat.recovery.topology;

/** Names of the coordinator's state stores, shared by the topology and the query layer. */
public final class CoordinatorStores {

  /** Plan name to its definition (JSON): a global store, complete on every instance. */
  public static final String PLANS = "recovery-plans";

  /** Execution id to {@link io.lifeboat.events.RecoveryExecution}: the saga state. */
  public static final String EXECUTIONS = "recovery-executions";

  /** Request id to {@link io.lifeboat.events.ApprovalState}: changes held for approval. */
  public static final String APPROVALS = io.lifeboat.recovery.approval.ApprovalProcessor.STORE;

  private CoordinatorStores() {}
}
