package io.lifeboat.provider.files;

/**
 * {@code files:/path}: a folder tree or a single file, with permissions, times, ownership and
 * symlinks. Restores into a folder. The stream is a pax tar (see {@link TreeArchiver}).
 */
public final class FilesProvider extends TreeProvider {
  public FilesProvider() {
    super("files");
  }
}
