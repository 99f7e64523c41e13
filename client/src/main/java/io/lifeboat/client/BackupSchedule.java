package io.lifeboat.client;

import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.schedule.ScheduledBackups;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.ScheduleDefined;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A backup schedule: a request template fired at every slot of a cron expression, the retention
 * applied after each scheduled backup and an optional recovery point objective.
 *
 * @param name the schedule's name (lower-case letters, digits, '.', '_', '-')
 * @param cron five cron fields (or six with seconds, or a macro such as {@code @daily})
 * @param zone the time zone the expression is read in
 * @param template what each slot backs up (its backup id is replaced by the slot's)
 * @param retention {@code keep-*} options (see RetentionPolicy.fromOptions); null is the default
 *     policy (30 daily, 12 weekly, 12 monthly)
 * @param rpo alert when the newest successful backup is older than this; null: no objective
 * @param paused defined but firing nothing
 */
public record BackupSchedule(
    String name,
    String cron,
    String zone,
    BackupRequest template,
    @Nullable Map<String, String> retention,
    @Nullable Duration rpo,
    boolean paused) {

  /** The schedule event; passwords in component URIs are sealed for this schedule. */
  public ScheduleDefined toEvent(@Nullable MasterKey key) {
    ScheduledBackups.checkName(name);
    BackupRequested r =
        BackupManager.toEvent(template, key, ScheduledBackups.credentialBinding(name));
    return ScheduleDefined.newBuilder()
        .setEnvelope(Envelopes.next(name))
        .setName(name)
        .setCron(cron)
        .setZone(zone)
        .setPaused(paused)
        .setBackupName(r.getName())
        .setType(r.getType())
        .setComponents(r.getComponents())
        .setLabels(r.getLabels())
        .setCompressionLevel(r.getCompressionLevel())
        .setSealedCredentials(r.getSealedCredentials())
        .setRetention(retention)
        .setRpo(rpo == null ? null : rpo.toString())
        .setDefinedBy(String.valueOf(System.getProperty("user.name")))
        .setDefinedAt(Instant.now())
        .build();
  }
}
