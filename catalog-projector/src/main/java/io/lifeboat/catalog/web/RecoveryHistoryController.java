package io.lifeboat.catalog.web;

import io.lifeboat.catalog.query.CatalogQueryService;
import io.lifeboat.catalog.query.RecoveryFilter;
import io.lifeboat.model.RecoveryView;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Recovery history from the catalog: executions, recovery tests and their measured RTO. GET only
 * (the coordinator owns the requests that change an execution, such as its rollback). 404 for an
 * unknown execution, 503 with Retry-After while the store is loading, 400 for a malformed filter.
 */
@RestController
public class RecoveryHistoryController {

  private final CatalogQueryService catalog;

  public RecoveryHistoryController(CatalogQueryService catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/api/recoveries")
  public List<RecoveryView> list(
      @RequestParam(required = false) @Nullable String plan,
      @RequestParam(required = false) @Nullable String mode,
      @RequestParam(required = false) @Nullable String status,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String to,
      @RequestParam(required = false, defaultValue = "1000") int limit) {
    RecoveryFilter filter =
        new RecoveryFilter(
            plan,
            mode,
            status,
            CatalogController.instant(from, "from"),
            CatalogController.instant(to, "to"),
            limit);
    return catalog.recoveries(filter).stream().map(RecoveryView::of).toList();
  }

  @GetMapping("/api/recoveries/{executionId}")
  public ResponseEntity<?> get(@PathVariable String executionId) {
    return catalog
        .recovery(executionId)
        .<ResponseEntity<?>>map(x -> ResponseEntity.ok(RecoveryView.of(x)))
        .orElseGet(
            () ->
                ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(Map.of("error", "no recovery " + executionId)));
  }
}
