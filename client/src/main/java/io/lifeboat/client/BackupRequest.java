package io.lifeboat.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to back up. Build with {@link #named(String)}.
 *
 * @param backupId id to use (a new one by default)
 * @param name backup definition name
 * @param type FULL, INCREMENTAL or DIFFERENTIAL
 * @param components component name to source spec, in order
 * @param labels labels
 * @param compressionLevel zstd level, 0 for none
 * @param notifications where this backup's outcome is told, besides the notifier's rules
 */
public record BackupRequest(
    String backupId,
    String name,
    String type,
    Map<String, String> components,
    Map<String, String> labels,
    int compressionLevel,
    List<Notify> notifications) {

  /**
   * Tell a configured notifier channel about this backup.
   *
   * @param channel the channel's name on the notifier ({@code lifeboat.notify.channels.NAME}): no
   *     URL or password travels in the request
   * @param events kinds (backup.failed, backup.*); empty: every outcome of this backup
   * @param recipients for an email channel, addresses instead of its configured ones
   */
  public record Notify(String channel, List<String> events, List<String> recipients) {
    public Notify {
      events = List.copyOf(events);
      recipients = List.copyOf(recipients);
    }
  }

  public BackupRequest {
    Objects.requireNonNull(backupId, "backupId");
    components = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(components));
    labels = Map.copyOf(labels);
    notifications = List.copyOf(notifications);
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Builds a {@link BackupRequest}. */
  public static final class Builder {
    private String backupId = newBackupId();
    private final String name;
    private String type = "FULL";
    private final Map<String, String> components = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private int compressionLevel = 1;
    private final List<Notify> notifications = new ArrayList<>();

    Builder(String name) {
      this.name = name;
    }

    public Builder backupId(String id) {
      this.backupId = id;
      return this;
    }

    public Builder type(String t) {
      this.type = t;
      return this;
    }

    /** Adds a component; its name defaults to the spec's kind (files, files-2, ...). */
    public Builder component(String spec) {
      components.put(
          io.lifeboat.model.BackupRequests.componentName(spec, components.keySet()), spec);
      return this;
    }

    public Builder component(String componentName, String spec) {
      components.put(componentName, spec);
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder compressionLevel(int level) {
      this.compressionLevel = level;
      return this;
    }

    /** Tells the notifier channel {@code channel} every outcome of this backup. */
    public Builder notifyChannel(String channel) {
      notifications.add(new Notify(channel, List.of(), List.of()));
      return this;
    }

    /** Tells the email channel {@code channel} every outcome of this backup, at these addresses. */
    public Builder notifyEmail(String channel, String... recipients) {
      notifications.add(new Notify(channel, List.of(), List.of(recipients)));
      return this;
    }

    public Builder notification(Notify setting) {
      notifications.add(setting);
      return this;
    }

    public BackupRequest build() {
      return new BackupRequest(
          backupId, name, type, components, labels, compressionLevel, notifications);
    }
  }

  /** A sortable, readable id: UTC time plus randomness, e.g. 20261125T203000Z-3f9c2a1b. */
  public static String newBackupId() {
    return io.lifeboat.model.BackupRequests.newBackupId();
  }

  List<String> componentNames() {
    return new ArrayList<>(components.keySet());
  }
}
