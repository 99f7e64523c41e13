package io.lifeboat.catalog.topology;

import io.lifeboat.events.Alert;
import io.lifeboat.events.BackupCompleted;
import io.lifeboat.events.BackupRejected;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.ComponentDumped;
import io.lifeboat.events.ComponentSummary;
import io.lifeboat.events.LocationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * How one event changes a backup's catalog entry. Events of one backup come from different topics
 * and may be seen in any order, so a final status (SUCCESS, PARTIAL, FAILED, REJECTED) is never
 * replaced by an earlier one, and later facts only fill in.
 */
public final class CatalogFold {

  static final Set<String> FINAL =
      Set.of("SUCCESS", "PARTIAL", "FAILED", "REJECTED", "CANCELLED", "DELETED");

  private CatalogFold() {}

  /** Alerts that change a backup's entry: a replica that became complete for it. */
  public static boolean concernsACatalogEntry(String key, SpecificRecord event) {
    return event instanceof Alert a
        && "replica.repaired".equals(a.getKind())
        && a.getLabels().containsKey("location");
  }

  public static CatalogEntry empty() {
    return CatalogEntry.newBuilder()
        .setBackupId("")
        .setStatus("UNKNOWN")
        .setUpdatedAt(Instant.EPOCH)
        .build();
  }

  public static CatalogEntry apply(String backupId, SpecificRecord event, CatalogEntry current) {
    CatalogEntry.Builder e =
        CatalogEntry.newBuilder(current).setBackupId(backupId).setUpdatedAt(Instant.now());
    if (event instanceof BackupRequested r) {
      e.setName(r.getName())
          .setType(r.getType())
          .setLabels(r.getLabels())
          .setComponentSpecs(
              r.getComponents().stream()
                  .map(
                      c ->
                          new io.lifeboat.events.ComponentSpec(
                              c.getName(), io.lifeboat.core.provider.Redact.spec(c.getSource())))
                  .toList())
          .setRequestedAt(r.getEnvelope().getTime());
      if (!isFinal(current) && !"RUNNING".equals(current.getStatus())) {
        e.setStatus("REQUESTED");
      }
    } else if (event instanceof BackupRejected r) {
      e.setStatus("REJECTED").setReason(String.join("; ", r.getReasons()));
      if (!r.getName().isEmpty()) {
        e.setName(r.getName());
      }
      e.setCompletedAt(r.getEnvelope().getTime());
    } else if (event instanceof ComponentDumped d) {
      if (!isFinal(current)) {
        e.setStatus("RUNNING");
        e.setComponents(replace(current.getComponents(), d.getComponent()));
      }
    } else if (event instanceof io.lifeboat.events.BackupDeleted d) {
      e.setStatus("DELETED")
          .setReason("deleted: " + (d.getReason().isBlank() ? "by hand" : d.getReason()));
      if (!d.getName().isEmpty() && current.getName() == null) {
        e.setName(d.getName());
      }
    } else if (event instanceof BackupCompleted c) {
      boolean deleted = "DELETED".equals(current.getStatus()); // a late or replayed completion
      e.setStatus(deleted ? "DELETED" : c.getStatus().name())
          .setReason(deleted ? current.getReason() : c.getReason())
          .setName(c.getName())
          .setType(c.getType())
          .setLabels(c.getLabels())
          .setRequestedAt(c.getRequestedAt())
          .setCompletedAt(c.getCompletedAt())
          .setDurationMs(c.getDurationMs())
          .setSizeBytes(c.getSizeBytes())
          .setStoredBytes(c.getStoredBytes())
          .setNewChunks(c.getNewChunks())
          .setDedupedChunks(c.getDedupedChunks())
          .setNewBytes(c.getNewBytes())
          .setCompressionRatio(c.getCompressionRatio())
          .setManifestChecksum(c.getManifestChecksum())
          .setLocations(c.getLocations())
          .setLocationStatus(c.getLocationStatus())
          .setComponents(c.getComponents());
    } else if (event instanceof io.lifeboat.events.BackupVerified v) {
      e.setLastVerification(
          io.lifeboat.events.VerificationSummary.newBuilder()
              .setVerificationId(v.getVerificationId())
              .setAt(v.getEnvelope().getTime())
              .setOk(v.getOk())
              .setChunksChecked(v.getChunksChecked())
              .setBytesChecked(v.getBytesChecked())
              .setDurationMs(v.getDurationMs())
              .setProblems(v.getProblems())
              .build());
    } else if (event instanceof Alert a && concernsACatalogEntry(backupId, a)) {
      String location = a.getLabels().get("location");
      List<LocationStatus> updated = new ArrayList<>();
      for (LocationStatus l : current.getLocationStatus()) {
        updated.add(
            l.getLocation().equals(location)
                ? LocationStatus.newBuilder(l)
                    .setComplete(true)
                    .setMissingChunks(0)
                    .setError(null)
                    .build()
                : l);
      }
      e.setLocationStatus(updated);
    } else {
      return current;
    }
    return e.build();
  }

  private static boolean isFinal(CatalogEntry entry) {
    return FINAL.contains(entry.getStatus());
  }

  private static List<ComponentSummary> replace(List<ComponentSummary> list, ComponentSummary c) {
    List<ComponentSummary> out = new ArrayList<>();
    for (ComponentSummary s : list) {
      if (!s.getName().equals(c.getName())) {
        out.add(s);
      }
    }
    out.add(c);
    return out;
  }
}
