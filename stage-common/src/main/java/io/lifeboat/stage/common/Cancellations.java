package io.lifeboat.stage.common;

import io.lifeboat.events.BackupCancelRequested;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The backups someone asked to cancel, as a stage learns of them (a {@link TopicFollower} of the
 * cancellations topic feeds it). Listeners can register to be told at once (the dump stage
 * interrupts the thread dumping that backup).
 */
public final class Cancellations implements Consumer<BackupCancelRequested> {

  private final Map<String, String> reasons = new ConcurrentHashMap<>();
  private final Map<Object, Consumer<String>> listeners = new ConcurrentHashMap<>();

  @Override
  public void accept(BackupCancelRequested c) {
    String why = c.getReason() == null || c.getReason().isBlank() ? "cancelled" : c.getReason();
    reasons.put(c.getBackupId(), why);
    listeners.values().forEach(l -> l.accept(c.getBackupId()));
  }

  /** Why the backup was cancelled, if it was. */
  public Optional<String> of(String backupId) {
    return Optional.ofNullable(reasons.get(backupId));
  }

  /** Calls {@code listener} with the id of each backup cancelled from now on. */
  public void onCancel(Object owner, Consumer<String> listener) {
    listeners.put(owner, listener);
  }
}
