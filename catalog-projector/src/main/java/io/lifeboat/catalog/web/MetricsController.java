package io.lifeboat.catalog.web;

import io.lifeboat.catalog.query.CatalogQueryService;
import io.lifeboat.model.MetricsView;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/metrics}: backups, restores and recoveries summed up from the catalog (see {@link
 * io.lifeboat.catalog.query.MetricsSummary}). Read-only; 503 while the stores load.
 */
@RestController
public class MetricsController {

  private final CatalogQueryService catalog;

  public MetricsController(CatalogQueryService catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/api/metrics")
  public MetricsView metrics() {
    return catalog.metrics(Instant.now());
  }
}
