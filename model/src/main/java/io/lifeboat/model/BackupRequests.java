package io.lifeboat.model;

import io.lifeboat.core.provider.SpecCredentials;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.BackupType;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.NotificationSetting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What every way of asking for a backup shares (the command line and Java client, the HTTP API):
 * backup ids, component names from specs, and the request event of specs that carry no password.
 */
public final class BackupRequests {

  private BackupRequests() {}

  /** A sortable, readable id: UTC time plus randomness, e.g. 20261125T203000Z-3f9c2a1b. */
  public static String newBackupId() {
    String time =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC)
            .format(java.time.Instant.now());
    return time + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The name a spec gets among {@code taken}: its kind (files, files-2, ...). */
  public static String componentName(String spec, java.util.Set<String> taken) {
    int colon = spec.indexOf(':');
    String kind = colon > 0 ? spec.substring(0, colon) : "component";
    String n = kind;
    for (int i = 2; taken.contains(n); i++) {
      n = kind + "-" + i;
    }
    return n;
  }

  /** Specs named as {@link #componentName} names them, in order. */
  public static Map<String, String> named(List<String> specs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String spec : specs) {
      out.put(componentName(spec, out.keySet()), spec);
    }
    return out;
  }

  public static BackupType type(String type) {
    try {
      return BackupType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown backup type " + type + " (full, incremental, differential)", e);
    }
  }

  /**
   * A request whose specs carry no password: whoever builds it holds no key to seal one.
   *
   * @throws IllegalArgumentException for a spec with a password, or an unknown type
   */
  public static BackupRequested unsealed(
      String name,
      String type,
      Map<String, String> components,
      Map<String, String> labels,
      List<NotificationSetting> notifications,
      String requestedBy) {
    List<ComponentSpec> specs = new ArrayList<>();
    components.forEach(
        (component, spec) -> {
          if (SpecCredentials.split(spec).password().isPresent()) {
            throw new IllegalArgumentException(
                "component "
                    + component
                    + " has a password in its URI, and this service holds no key to seal it:"
                    + " use ?passwordFile= or the dump stage's environment");
          }
          specs.add(new ComponentSpec(component, spec));
        });
    String id = newBackupId();
    return BackupRequested.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setBackupId(id)
        .setName(name)
        .setType(type(type))
        .setComponents(specs)
        .setLabels(labels)
        .setRequestedBy(requestedBy)
        .setNotifications(notifications)
        .build();
  }
}
