package io.lifeboat.provider.files;

/**
 * {@code logs:/var/log/app?include=*.log&exclude=*.gz}: log files chosen by globs. A file that
 * grows while it is read is cut at the length it had when the backup reached it, so every file in
 * the backup is a consistent prefix of the log.
 */
public final class LogsProvider extends TreeProvider {
  public LogsProvider() {
    super("logs");
  }
}
