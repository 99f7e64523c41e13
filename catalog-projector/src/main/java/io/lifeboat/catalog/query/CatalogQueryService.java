package io.lifeboat.catalog.query;

import io.lifeboat.catalog.topology.CatalogStores;
import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.RecoveryExecution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The only class that reads the catalog's state stores (backups and recovery executions). Answers
 * {@link CatalogNotReadyException} while a store is not queryable (the web layer turns that into
 * 503 + Retry-After).
 *
 * <p>Runs as a single instance: with several catalog instances, each holds the partitions it was
 * assigned and a query would see only those (forwarding to the owner is not built yet).
 */
public final class CatalogQueryService {

  private final Supplier<KafkaStreams> streams;

  public CatalogQueryService(Supplier<KafkaStreams> streams) {
    this.streams = streams;
  }

  public Optional<CatalogEntry> get(String backupId) {
    CatalogEntry e = store().get(backupId);
    return Optional.ofNullable(e).filter(CatalogQueryService::known);
  }

  /** Matching backups, newest request first. */
  public List<CatalogEntry> list(BackupFilter filter) {
    List<CatalogEntry> out = new ArrayList<>();
    try (KeyValueIterator<String, CatalogEntry> it = store().all()) {
      it.forEachRemaining(kv -> {
        if (kv.value != null && known(kv.value) && filter.matches(kv.value)) {
          out.add(kv.value);
        }
      });
    } catch (InvalidStateStoreException e) {
      throw new CatalogNotReadyException("catalog store is not ready: " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(CatalogQueryService::when).reversed());
    return out.size() > filter.limit() ? out.subList(0, filter.limit()) : out;
  }

  public Optional<RecoveryExecution> recovery(String executionId) {
    ReadOnlyKeyValueStore<String, RecoveryExecution> store = store(CatalogStores.RECOVERIES_BY_ID);
    try {
      return Optional.ofNullable(store.get(executionId));
    } catch (InvalidStateStoreException e) {
      throw new CatalogNotReadyException("catalog store is not ready: " + e.getMessage(), e);
    }
  }

  /** Matching recovery executions, newest request first. */
  public List<RecoveryExecution> recoveries(RecoveryFilter filter) {
    List<RecoveryExecution> out = new ArrayList<>();
    try (KeyValueIterator<String, RecoveryExecution> it = this.<RecoveryExecution>store(CatalogStores.RECOVERIES_BY_ID).all()) {
      it.forEachRemaining(kv -> {
        if (kv.value != null && filter.matches(kv.value)) {
          out.add(kv.value);
        }
      });
    } catch (InvalidStateStoreException e) {
      throw new CatalogNotReadyException("catalog store is not ready: " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(RecoveryExecution::getRequestedAt).reversed());
    return out.size() > filter.limit() ? out.subList(0, filter.limit()) : out;
  }

  /** An entry some backup event made (not just an alert about a backup the catalog never saw). */
  private static boolean known(CatalogEntry e) {
    return !e.getBackupId().isEmpty() && !"UNKNOWN".equals(e.getStatus());
  }

  private static Instant when(CatalogEntry e) {
    return e.getRequestedAt() != null ? e.getRequestedAt() : e.getUpdatedAt();
  }

  private ReadOnlyKeyValueStore<String, CatalogEntry> store() {
    return store(CatalogStores.BACKUPS_BY_ID);
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    KafkaStreams s = streams.get();
    if (s == null || s.state() != KafkaStreams.State.RUNNING) {
      throw new CatalogNotReadyException("catalog is " + (s == null ? "not started" : s.state().name().toLowerCase()), null);
    }
    try {
      return s.store(
          StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new CatalogNotReadyException("catalog store is not ready: " + e.getMessage(), e);
    }
  }
}
