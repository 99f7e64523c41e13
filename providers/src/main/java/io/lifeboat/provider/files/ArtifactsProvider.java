package io.lifeboat.provider.files;

/** {@code artifacts:/srv/releases}: build artifacts and releases, as a folder tree. */
public final class ArtifactsProvider extends TreeProvider {
  public ArtifactsProvider() {
    super("artifacts");
  }
}
