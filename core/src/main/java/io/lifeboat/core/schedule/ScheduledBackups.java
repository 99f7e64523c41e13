package io.lifeboat.core.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ties a backup to the schedule that asked for it: its id ({@code <slot, UTC>-<schedule>}, the
 * same for every attempt at one slot, so a slot can never make two backups), its labels, and the
 * binding its sealed passwords are bound to.
 */
public final class ScheduledBackups {

  /** Label on every scheduled backup: the schedule's name. */
  public static final String SCHEDULE_LABEL = "lifeboat.schedule";

  /** Label on every scheduled backup: the slot it was made for (ISO-8601, UTC). */
  public static final String SLOT_LABEL = "lifeboat.slot";

  /**
   * Label on a scheduled backup whose schedule applies retention after it: the policy as {@code
   * keep-daily=30,keep-weekly=12,...} (empty: keep everything).
   */
  public static final String RETENTION_LABEL = "lifeboat.retention";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._\\-]{0,63}");
  private static final DateTimeFormatter SLOT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern ID = Pattern.compile("\\d{8}T\\d{6}Z-(" + NAME.pattern() + ")");

  private ScheduledBackups() {}

  /** Whether {@code name} can name a schedule: lower-case letters, digits, '.', '_', '-'. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * @throws IllegalArgumentException saying what a schedule name may be
   */
  public static String checkName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "invalid schedule name '"
              + name
              + "': lower-case letters, digits, '.', '_' and '-', at most 64, starting with a letter or digit");
    }
    return name;
  }

  /** The backup (or plan test) id of one slot of a schedule. */
  public static String id(Instant slot, String schedule) {
    return SLOT.format(slot) + "-" + checkName(schedule);
  }

  /** The schedule an id made by {@link #id} names. */
  public static Optional<String> scheduleOf(String id) {
    Matcher m = ID.matcher(id == null ? "" : id);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * What a schedule's sealed passwords are bound to (instead of one backup id: the schedule seals
   * them once, when it is defined, for all its backups).
   */
  public static String credentialBinding(String schedule) {
    return "schedule:" + schedule;
  }
}
