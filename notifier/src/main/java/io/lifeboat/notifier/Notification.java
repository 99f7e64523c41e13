package io.lifeboat.notifier;

import java.time.Instant;
import java.util.Map;

/**
 * What a person is told: one event worth a message, in the words of the event. Never carries a
 * secret: it is made from events, which carry none.
 *
 * @param kind dotted kind, as on the alert topic (backup.failed, recovery.succeeded, ...)
 * @param severity INFO, WARNING or CRITICAL
 * @param subject what it is about: a backup id, an execution id, a schedule name
 * @param title one line
 * @param text the details
 * @param labels the event's labels (backup name, plan, location, ...)
 * @param time when the event happened
 */
public record Notification(
    String kind,
    String severity,
    String subject,
    String title,
    String text,
    Map<String, String> labels,
    Instant time) {

  /** The same kind about the same subject: repeats of it are throttled. */
  public String repeatKey() {
    return kind + "\u0000" + subject;
  }
}
