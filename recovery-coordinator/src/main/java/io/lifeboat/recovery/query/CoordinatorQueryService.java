package io.lifeboat.recovery.query;

import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.recovery.plan.Estimates;
import io.lifeboat.recovery.topology.CoordinatorStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the coordinator's stores: plans (global, complete on every instance) and the executions
 * this instance holds (for estimates). Single-instance for executions, like the catalog.
 */
public final class CoordinatorQueryService {

  private final Supplier<KafkaStreams> streams;

  public CoordinatorQueryService(Supplier<KafkaStreams> streams) {
    this.streams = streams;
  }

  /** Plan name to definition (JSON), sorted by name. */
  public TreeMap<String, String> plans() {
    TreeMap<String, String> out = new TreeMap<>();
    try (KeyValueIterator<String, String> it = this.<String>store(CoordinatorStores.PLANS).all()) {
      it.forEachRemaining(kv -> out.put(kv.key, kv.value));
    } catch (InvalidStateStoreException e) {
      throw new CoordinatorNotReadyException("plan store is not ready: " + e.getMessage(), e);
    }
    return out;
  }

  public Optional<String> plan(String name) {
    try {
      return Optional.ofNullable(this.<String>store(CoordinatorStores.PLANS).get(name));
    } catch (InvalidStateStoreException e) {
      throw new CoordinatorNotReadyException("plan store is not ready: " + e.getMessage(), e);
    }
  }

  /** The saga state of one execution, as this instance holds it. */
  public Optional<RecoveryExecution> execution(String executionId) {
    try {
      return Optional.ofNullable(
          this.<RecoveryExecution>store(CoordinatorStores.EXECUTIONS).get(executionId));
    } catch (InvalidStateStoreException e) {
      throw new CoordinatorNotReadyException("execution store is not ready: " + e.getMessage(), e);
    }
  }

  /** Every execution this instance holds (the executions of a plan give it its status). */
  public List<RecoveryExecution> executions() {
    List<RecoveryExecution> all = new ArrayList<>();
    try (KeyValueIterator<String, RecoveryExecution> it =
        this.<RecoveryExecution>store(CoordinatorStores.EXECUTIONS).all()) {
      it.forEachRemaining(kv -> all.add(kv.value));
    } catch (InvalidStateStoreException e) {
      throw new CoordinatorNotReadyException("execution store is not ready: " + e.getMessage(), e);
    }
    return all;
  }

  /** Every change held for approval, in any state, as this instance holds them. */
  public List<io.lifeboat.events.ApprovalState> approvals() {
    List<io.lifeboat.events.ApprovalState> all = new ArrayList<>();
    try (KeyValueIterator<String, io.lifeboat.events.ApprovalState> it =
        this.<io.lifeboat.events.ApprovalState>store(CoordinatorStores.APPROVALS).all()) {
      it.forEachRemaining(kv -> all.add(kv.value));
    } catch (InvalidStateStoreException e) {
      throw new CoordinatorNotReadyException("approval store is not ready: " + e.getMessage(), e);
    }
    return all;
  }

  public Optional<io.lifeboat.events.ApprovalState> approval(String requestId) {
    try {
      return Optional.ofNullable(
          this.<io.lifeboat.events.ApprovalState>store(CoordinatorStores.APPROVALS).get(requestId));
    } catch (InvalidStateStoreException e) {
      throw new CoordinatorNotReadyException("approval store is not ready: " + e.getMessage(), e);
    }
  }

  /** Estimates learned from the executions this instance holds. */
  public Estimates estimates() {
    List<RecoveryExecution> all = new ArrayList<>();
    try (KeyValueIterator<String, RecoveryExecution> it =
        this.<RecoveryExecution>store(CoordinatorStores.EXECUTIONS).all()) {
      it.forEachRemaining(kv -> all.add(kv.value));
    } catch (InvalidStateStoreException | CoordinatorNotReadyException e) {
      return Estimates.defaults();
    }
    return Estimates.from(all);
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    KafkaStreams s = streams.get();
    if (s == null || s.state() != KafkaStreams.State.RUNNING) {
      throw new CoordinatorNotReadyException(
          "the recovery coordinator is "
              + (s == null ? "not started" : s.state().name().toLowerCase()),
          null);
    }
    try {
      return s.store(
          StoreQueryParameters.fromNameAndType(
              name, QueryableStoreTypes.<String, V>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new CoordinatorNotReadyException(
          "store " + name + " is not ready: " + e.getMessage(), e);
    }
  }
}
