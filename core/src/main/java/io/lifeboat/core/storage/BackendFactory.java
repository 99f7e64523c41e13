package io.lifeboat.core.storage;

import java.net.URI;

/**
 * Creates backends for one location scheme ({@code file}, {@code mem}, {@code s3}, ...). Found
 * through {@link java.util.ServiceLoader} by {@link BackendRegistry}.
 */
public interface BackendFactory {

  /** The URI scheme this factory handles. */
  String scheme();

  /**
   * Opens the location. Validates the URI and fails with a message that names what is wrong
   * (without credentials).
   */
  Backend create(URI location);
}
