package io.lifeboat.stage.upload;

import io.lifeboat.core.repo.ReplicaSync;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.events.Alert;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings replicas up to date in the background: every interval, copies to each replica what the
 * primary has and it lacks (chunks before manifests). Announces each backup that became complete at
 * a replica ({@code replica.repaired}, subject = backup id) and each replica it cannot reach
 * ({@code replica.unreachable}, once when it becomes unreachable, not at every round).
 */
public final class ReplicaRepairer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaRepairer.class);

  private final Backend primary;
  private final Map<String, Backend> replicas;
  private final Consumer<Alert> alerts;
  private final ScheduledExecutorService timer;
  private final java.util.Set<String> unreachable =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public ReplicaRepairer(
      Backend primary, Map<String, Backend> replicas, Consumer<Alert> alerts, Duration interval) {
    this.primary = primary;
    this.replicas = Map.copyOf(replicas);
    this.alerts = alerts;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lifeboat-replica-repairer");
              t.setDaemon(true);
              return t;
            });
    if (!replicas.isEmpty() && !interval.isZero()) {
      timer.scheduleWithFixedDelay(
          this::repairAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One round over every replica; returns what was done. */
  public synchronized List<ReplicaSync.Repair> repairAll() {
    List<ReplicaSync.Repair> done = new ArrayList<>();
    for (Backend replica : replicas.values()) {
      try {
        ReplicaSync.Repair r = ReplicaSync.repair(primary, replica);
        done.add(r);
        if (unreachable.remove(replica.location())) {
          LOG.info("replica {} is reachable again", replica.location());
        }
        if (r.copiedObjects() > 0) {
          LOG.info(
              "replica {} repaired: {} objects, {} bytes copied",
              replica.location(),
              r.copiedObjects(),
              r.copiedBytes());
        }
        for (String backupId : r.before().missingManifests()) {
          alerts.accept(
              alert(
                  Severity.INFO,
                  "replica.repaired",
                  backupId,
                  replica.location(),
                  "backup " + backupId + " is now complete at " + replica.location()));
        }
      } catch (StorageException e) {
        if (unreachable.add(replica.location())) {
          LOG.warn(
              "replica {} cannot be repaired now (retrying every round, quietly): {}",
              replica.location(),
              e.getMessage());
          alerts.accept(
              alert(
                  Severity.WARNING,
                  "replica.unreachable",
                  replica.location(),
                  replica.location(),
                  "replica "
                      + replica.location()
                      + " cannot be brought up to date: "
                      + e.getMessage()));
        } else {
          LOG.debug("replica {} still cannot be repaired: {}", replica.location(), e.getMessage());
        }
      } catch (RuntimeException e) {
        LOG.warn("repairing replica {} failed", replica.location(), e);
      }
    }
    return done;
  }

  private static Alert alert(
      Severity severity, String kind, String subject, String location, String message) {
    return Alert.newBuilder()
        .setEnvelope(Envelopes.next(subject))
        .setSeverity(severity)
        .setKind(kind)
        .setSubject(subject)
        .setMessage(message)
        .setLabels(Map.of("location", location))
        .build();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
