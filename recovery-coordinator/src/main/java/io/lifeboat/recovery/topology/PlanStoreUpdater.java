package io.lifeboat.recovery.topology;

import io.lifeboat.events.RecoveryPlanDefined;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global plan store: the latest definition per plan name; a tombstone deletes. */
final class PlanStoreUpdater implements Processor<String, RecoveryPlanDefined, Void, Void> {

  private KeyValueStore<String, String> plans;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    plans = context.getStateStore(CoordinatorStores.PLANS);
  }

  @Override
  public void process(Record<String, RecoveryPlanDefined> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      plans.delete(record.key());
    } else {
      plans.put(record.key(), record.value().getDefinition());
    }
  }
}
