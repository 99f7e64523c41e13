package io.lifeboat.core.repo;

/** There is no Lifeboat repository (no config object) at the location. */
public final class RepositoryNotFoundException extends Exception {
  private static final long serialVersionUID = 1L;

  public RepositoryNotFoundException(String location) {
    super("no Lifeboat repository at " + location + " (create one with: lifeboat init)");
  }
}
