package io.lifeboat.catalog.web;

import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.ComponentSummary;
import io.lifeboat.model.BackupView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Maps catalog entries to the API's JSON shape. */
final class BackupViews {

  private BackupViews() {}

  static BackupView of(CatalogEntry e) {
    List<BackupView.ComponentView> components = new ArrayList<>();
    for (ComponentSummary c : e.getComponents()) {
      components.add(
          new BackupView.ComponentView(
              c.getName(),
              c.getKind(),
              c.getSource(),
              c.getStatus().name(),
              c.getError(),
              c.getWarnings(),
              c.getSizeBytes(),
              c.getChunkCount(),
              c.getNewChunkCount(),
              c.getDurationMs(),
              c.getMetadata()));
    }
    Set<String> done =
        components.stream().map(BackupView.ComponentView::name).collect(Collectors.toSet());
    for (ComponentSpec s : e.getComponentSpecs()) {
      if (!done.contains(s.getName())) {
        String kind =
            s.getSource().contains(":")
                ? s.getSource().substring(0, s.getSource().indexOf(':'))
                : "";
        String status =
            Set.of("REQUESTED", "RUNNING").contains(e.getStatus()) ? "PENDING" : "NOT_RUN";
        components.add(
            new BackupView.ComponentView(
                s.getName(),
                kind,
                java.util.Objects.requireNonNull(
                    io.lifeboat.core.provider.Redact.spec(s.getSource())),
                status,
                null,
                List.of(),
                0,
                0,
                0,
                0,
                java.util.Map.of()));
      }
    }
    return new BackupView(
        e.getBackupId(),
        e.getName(),
        e.getType().name(),
        e.getStatus(),
        e.getReason(),
        e.getLabels(),
        e.getRequestedAt(),
        e.getCompletedAt(),
        e.getDurationMs(),
        e.getSizeBytes(),
        e.getStoredBytes(),
        e.getNewChunks(),
        e.getDedupedChunks(),
        e.getNewBytes(),
        e.getCompressionRatio(),
        e.getManifestChecksum(),
        e.getLocations(),
        components,
        BackupView.locations(e.getLocationStatus()),
        BackupView.Verification.of(e.getLastVerification()));
  }
}
