package io.lifeboat.catalog.web;

import io.lifeboat.catalog.query.CatalogNotReadyException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * How the catalog API answers errors: 503 with Retry-After while the store loads, 400 for a bad
 * parameter.
 */
@RestControllerAdvice(
    assignableTypes = {
      CatalogController.class,
      RecoveryHistoryController.class,
      MetricsController.class
    })
public class CatalogApiErrors {

  @ExceptionHandler(CatalogNotReadyException.class)
  ResponseEntity<Map<String, String>> notReady(CatalogNotReadyException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", "2")
        .body(Map.of("error", e.getMessage()));
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
  }
}
