package io.lifeboat.catalog.web;

import io.lifeboat.catalog.query.CatalogQueryService;
import io.lifeboat.core.wal.WalReplayPlan;
import io.lifeboat.core.wal.WalWindows;
import io.lifeboat.events.CatalogEntry;
import io.lifeboat.events.ComponentSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * PostgreSQL WAL archives (lifeboat wal push) as the catalog sees them: per source, the recoverable
 * window of each base backup, the gaps, and the live RPO (the age of the newest archived WAL).
 * Built from the catalog's entries: archived files are backups named {@code wal.SOURCE}, base
 * backups are {@code pgbase} components with {@code walSource=SOURCE}.
 */
@RestController
public class WalController {

  private final CatalogQueryService catalog;

  public WalController(CatalogQueryService catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/api/wal/sources")
  public List<WalWindows.Status> list() {
    List<CatalogEntry> all = catalog.all();
    TreeSet<String> sources = new TreeSet<>();
    for (CatalogEntry e : all) {
      if (e.getName().startsWith("wal.")) {
        sources.add(e.getName().substring(4));
      }
    }
    Instant now = Instant.now();
    return sources.stream().map(s -> status(all, s, now)).toList();
  }

  @GetMapping("/api/wal/sources/{source}")
  public ResponseEntity<?> get(@PathVariable String source) {
    List<CatalogEntry> all = catalog.all();
    WalWindows.Status s = status(all, source, Instant.now());
    if (s.files() == 0 && s.windows().isEmpty()) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body(Map.of("error", "no WAL archive or base backup of source " + source));
    }
    return ResponseEntity.ok(s);
  }

  static WalWindows.Status status(List<CatalogEntry> all, String source, Instant now) {
    Map<String, Instant> files = new HashMap<>();
    List<WalReplayPlan.Base> bases = new ArrayList<>();
    for (CatalogEntry e : all) {
      if (!"SUCCESS".equals(e.getStatus())) {
        continue;
      }
      for (ComponentSummary c : e.getComponents()) {
        Map<String, String> m = c.getMetadata();
        if (!source.equals(m.get("walSource"))) {
          continue;
        }
        if ("walseg".equals(c.getKind()) && m.get("walFile") != null && m.get("closedAt") != null) {
          files.putIfAbsent(m.get("walFile"), Instant.parse(m.get("closedAt")));
        } else if ("pgbase".equals(c.getKind())
            && m.get("stopSegment") != null
            && m.get("stopTime") != null) {
          bases.add(
              new WalReplayPlan.Base(
                  e.getBackupId(),
                  Long.parseLong(m.getOrDefault("timeline", "1")),
                  m.get("stopSegment"),
                  Instant.parse(m.get("stopTime")),
                  Long.parseLong(m.getOrDefault("walSegmentSize", "16777216"))));
        }
      }
    }
    return WalWindows.of(source, files, bases, now);
  }
}
