package io.lifeboat.catalog.web;

import io.lifeboat.catalog.query.BackupFilter;
import io.lifeboat.catalog.query.CatalogQueryService;
import io.lifeboat.model.BackupView;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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
 * The catalog's read API. GET only: nothing here changes anything. 404 for an unknown backup, 503
 * with Retry-After while the store is loading, 400 for a malformed filter.
 */
@RestController
public class CatalogController {

  private final CatalogQueryService catalog;

  public CatalogController(CatalogQueryService catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/api/backups")
  public List<BackupView> list(
      @RequestParam(required = false) @Nullable String name,
      @RequestParam(required = false) @Nullable String component,
      @RequestParam(required = false) @Nullable String status,
      @RequestParam(required = false) @Nullable String label,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String to,
      @RequestParam(required = false, defaultValue = "1000") int limit) {
    BackupFilter filter =
        new BackupFilter(
            name, component, status, label, instant(from, "from"), instant(to, "to"), limit);
    return catalog.list(filter).stream().map(BackupViews::of).toList();
  }

  @GetMapping("/api/backups/{backupId}")
  public ResponseEntity<?> get(@PathVariable String backupId) {
    return catalog
        .get(backupId)
        .<ResponseEntity<?>>map(e -> ResponseEntity.ok(BackupViews.of(e)))
        .orElseGet(
            () ->
                ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(Map.of("error", "no backup " + backupId)));
  }

  static @Nullable Instant instant(@Nullable String value, String param) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return value.length() == 10
          ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC)
          : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          param
              + " must be an ISO date or instant (2026-11-25 or 2026-11-25T03:00:00Z), got '"
              + value
              + "'");
    }
  }
}
