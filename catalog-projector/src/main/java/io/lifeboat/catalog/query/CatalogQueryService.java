package io.lifeboat.catalog.query;

import io.lifeboat.catalog.topology.CatalogStores;
import io.lifeboat.events.CatalogEntry;
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
 * The only class that reads the catalog's state store. Answers {@link CatalogNotReadyException}
 * while the store is not queryable (the web layer turns that into 503 + Retry-After).
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

  /** An entry some backup event made (not just an alert about a backup the catalog never saw). */
  private static boolean known(CatalogEntry e) {
    return !e.getBackupId().isEmpty() && !"UNKNOWN".equals(e.getStatus());
  }

  private static Instant when(CatalogEntry e) {
    return e.getRequestedAt() != null ? e.getRequestedAt() : e.getUpdatedAt();
  }

  private ReadOnlyKeyValueStore<String, CatalogEntry> store() {
    KafkaStreams s = streams.get();
    if (s == null || s.state() != KafkaStreams.State.RUNNING) {
      throw new CatalogNotReadyException("catalog is " + (s == null ? "not started" : s.state().name().toLowerCase()), null);
    }
    try {
      return s.store(
          StoreQueryParameters.fromNameAndType(CatalogStores.BACKUPS_BY_ID, QueryableStoreTypes.<String, CatalogEntry>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new CatalogNotReadyException("catalog store is not ready: " + e.getMessage(), e);
    }
  }
}
