package io.lifeboat.recovery.topology;

import io.lifeboat.events.RecoveryPlanDefined;
import io.lifeboat.events.Topics;
import io.lifeboat.stage.common.auth.ApiAccess;
import io.lifeboat.stage.common.auth.KafkaRequestGuard;
import io.lifeboat.stage.common.auth.Operation;
import io.lifeboat.stage.common.auth.Role;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global plan store: the latest definition per plan name; a tombstone deletes. */
final class PlanStoreUpdater implements Processor<String, RecoveryPlanDefined, Void, Void> {

  private KeyValueStore<String, String> plans;
  private final KafkaRequestGuard guard;
  private final ApiAccess access;

  PlanStoreUpdater(KafkaRequestGuard guard, ApiAccess access) {
    this.guard = guard;
    this.access = access;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    plans = context.getStateStore(CoordinatorStores.PLANS);
  }

  @Override
  public void process(Record<String, RecoveryPlanDefined> record) {
    if (record.key() == null) {
      return;
    }
    if (!allowed(record)) {
      return; // the guard audited it; the plan stays as it was
    }
    if (record.value() == null) {
      plans.delete(record.key());
    } else {
      plans.put(record.key(), record.value().getDefinition());
    }
  }

  /** Plans that can recover into production, or have checks, are an admin's (ProductionPlans). */
  private boolean allowed(Record<String, RecoveryPlanDefined> record) {
    if (!guard.enforced()) {
      return true;
    }
    java.util.Optional<String> admin =
        io.lifeboat.recovery.plan.ProductionPlans.adminOnly(
            access,
            record.key(),
            plans.get(record.key()),
            record.value() == null ? null : record.value().getDefinition());
    return guard
        .check(
            Topics.RECOVERY_PLANS.name(),
            record.key(),
            record.headers(),
            record.value() == null ? Operation.PLAN_DELETE : Operation.PLAN_DEFINE,
            admin.isPresent() ? Role.ADMIN : Role.OPERATOR,
            admin.orElse(""),
            record.key())
        .allowed();
  }
}
