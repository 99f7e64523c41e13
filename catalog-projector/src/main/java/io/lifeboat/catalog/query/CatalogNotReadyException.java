package io.lifeboat.catalog.query;

import org.jspecify.annotations.Nullable;

/** The catalog store is not queryable yet (starting, restoring or rebalancing): retry shortly. */
public final class CatalogNotReadyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CatalogNotReadyException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
