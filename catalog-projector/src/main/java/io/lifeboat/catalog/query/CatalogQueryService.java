package io.lifeboat.catalog.query;

import io.lifeboat.catalog.topology.CatalogStores;
import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.RecoveryExecution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
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
    return this.<CatalogEntry, Optional<CatalogEntry>>read(
        CatalogStores.BACKUPS_BY_ID,
        store -> Optional.ofNullable(store.get(backupId)).filter(CatalogQueryService::known));
  }

  /** Matching backups, newest request first. */
  public List<CatalogEntry> list(BackupFilter filter) {
    List<CatalogEntry> out = all(CatalogStores.BACKUPS_BY_ID, e -> known(e) && filter.matches(e));
    out.sort(Comparator.comparing(CatalogQueryService::when).reversed());
    return out.size() > filter.limit() ? out.subList(0, filter.limit()) : out;
  }

  public Optional<RecoveryExecution> recovery(String executionId) {
    return this.<RecoveryExecution, Optional<RecoveryExecution>>read(
        CatalogStores.RECOVERIES_BY_ID, store -> Optional.ofNullable(store.get(executionId)));
  }

  /** Matching recovery executions, newest request first. */
  public List<RecoveryExecution> recoveries(RecoveryFilter filter) {
    List<RecoveryExecution> out = all(CatalogStores.RECOVERIES_BY_ID, filter::matches);
    out.sort(Comparator.comparing(RecoveryExecution::getRequestedAt).reversed());
    return out.size() > filter.limit() ? out.subList(0, filter.limit()) : out;
  }

  /** Matching audit events, newest first. */
  public List<io.lifeboat.events.AuditEvent> audit(AuditFilter filter) {
    List<io.lifeboat.events.AuditEvent> out = all(CatalogStores.AUDIT, filter::matches);
    out.sort(
        Comparator.comparing((io.lifeboat.events.AuditEvent e) -> e.getEnvelope().getTime())
            .reversed());
    return out.size() > filter.limit() ? out.subList(0, filter.limit()) : out;
  }

  /** Every schedule, by name. */
  public List<io.lifeboat.events.ScheduleDefined> schedules() {
    List<io.lifeboat.events.ScheduleDefined> out =
        all(CatalogStores.SCHEDULES, (io.lifeboat.events.ScheduleDefined s) -> true);
    out.sort(Comparator.comparing(io.lifeboat.events.ScheduleDefined::getName));
    return out;
  }

  public Optional<io.lifeboat.events.ScheduleDefined> schedule(String name) {
    return this
        .<io.lifeboat.events.ScheduleDefined, Optional<io.lifeboat.events.ScheduleDefined>>read(
            CatalogStores.SCHEDULES, store -> Optional.ofNullable(store.get(name)));
  }

  /** The newest successful backup of every name and schedule, as of now. */
  public RecoveryPoints recoveryPoints() {
    return new RecoveryPoints(all(CatalogStores.BACKUPS_BY_ID, CatalogQueryService::known));
  }

  /** The summary of {@code GET /api/metrics}, as of {@code now}. */
  public io.lifeboat.model.MetricsView metrics(java.time.Instant now) {
    return MetricsSummary.of(
        all(CatalogStores.BACKUPS_BY_ID, CatalogQueryService::known),
        all(CatalogStores.RECOVERIES_BY_ID, (RecoveryExecution x) -> true),
        now);
  }

  /** Every backup the catalog knows, in no order. */
  public List<CatalogEntry> all() {
    return all(CatalogStores.BACKUPS_BY_ID, CatalogQueryService::known);
  }

  /** An entry some backup event made (not just an alert about a backup the catalog never saw). */
  private static boolean known(CatalogEntry e) {
    return !e.getBackupId().isEmpty() && !"UNKNOWN".equals(e.getStatus());
  }

  private static Instant when(CatalogEntry e) {
    return e.getRequestedAt() != null ? e.getRequestedAt() : e.getUpdatedAt();
  }

  private <V> List<V> all(String storeName, Predicate<V> matches) {
    return this.<V, List<V>>read(
        storeName,
        store -> {
          List<V> out = new ArrayList<>();
          try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(
                kv -> {
                  if (kv.value != null && matches.test(kv.value)) {
                    out.add(kv.value);
                  }
                });
          }
          return out;
        });
  }

  /**
   * Runs a query on a store. A store can stop being queryable at any moment (a rebalance moves it):
   * whenever that happens, during the lookup or the read, the answer is "not ready" (503), never an
   * error.
   */
  private <V, T> T read(String name, Function<ReadOnlyKeyValueStore<String, V>, T> query) {
    KafkaStreams s = streams.get();
    if (s == null || s.state() != KafkaStreams.State.RUNNING) {
      throw new CatalogNotReadyException(
          "catalog is " + (s == null ? "not started" : s.state().name().toLowerCase(Locale.ROOT)),
          null);
    }
    try {
      return query.apply(
          s.store(
              StoreQueryParameters.fromNameAndType(
                  name, QueryableStoreTypes.<String, V>keyValueStore())));
    } catch (InvalidStateStoreException e) {
      throw new CatalogNotReadyException("catalog store is not ready: " + e.getMessage(), e);
    }
  }
}
