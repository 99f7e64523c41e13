package io.lifeboat.notifier;

import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.NotificationSetting;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notification settings backup requests carried ({@code BackupRequested.notifications}), by
 * backup id, until their outcome is told. In memory and bounded (the newest 10,000 requests): a
 * notifier restarted between a request and its outcome tells only its rules' channels.
 */
public final class BackupSubscriptions {

  private static final int REMEMBERED = 10_000;

  private final Map<String, List<NotificationSetting>> byBackup =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<NotificationSetting>> e) {
              return size() > REMEMBERED;
            }
          });

  public void remember(BackupRequested r) {
    if (!r.getNotifications().isEmpty()) {
      byBackup.put(r.getBackupId(), List.copyOf(r.getNotifications()));
    }
  }

  /** The settings of the backup a notification is about; empty when it asked for none. */
  public List<NotificationSetting> of(Notification n) {
    String backupId = n.labels().getOrDefault("backupId", n.subject());
    return byBackup.getOrDefault(backupId, List.of());
  }

  /** Whether a setting selects this kind: its events, or every backup outcome when it has none. */
  public static boolean selects(NotificationSetting s, String kind) {
    List<String> events = s.getEvents().isEmpty() ? List.of("backup.*") : s.getEvents();
    return new NotifyRule(events, List.of()).matches(kind);
  }
}
