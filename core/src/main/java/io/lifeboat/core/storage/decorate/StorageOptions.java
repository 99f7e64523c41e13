package io.lifeboat.core.storage.decorate;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lifeboat's own options of a location, given in its query string and removed before the backend
 * sees it: {@code ?connections=8&bandwidth=50MiB&retries=6}.
 *
 * @param connections operations in flight at once (0 = unlimited)
 * @param bytesPerSecond bandwidth cap in bytes per second (0 = unlimited)
 * @param retry retry policy for transient failures
 */
public record StorageOptions(int connections, long bytesPerSecond, RetryPolicy retry) {

  public static final Set<String> KEYS = Set.of("connections", "bandwidth", "retries");

  public static StorageOptions defaults() {
    return new StorageOptions(16, 0, RetryPolicy.defaults());
  }

  /** Reads the options out of a query map; unknown keys are left to the backend. */
  public static StorageOptions from(Map<String, String> query) {
    StorageOptions d = defaults();
    int connections =
        query.containsKey("connections")
            ? Integer.parseInt(query.get("connections"))
            : d.connections();
    long bandwidth =
        query.containsKey("bandwidth") ? bytes(query.get("bandwidth")) : d.bytesPerSecond();
    RetryPolicy retry =
        query.containsKey("retries")
            ? new RetryPolicy(
                Integer.parseInt(query.get("retries")) + 1,
                d.retry().initialDelay(),
                d.retry().maxDelay())
            : d.retry();
    return new StorageOptions(connections, bandwidth, retry);
  }

  /** "50MiB", "10MB", "1048576", "2GiB" (per second). */
  static long bytes(String value) {
    String v = value.trim().toUpperCase(Locale.ROOT).replace("/S", "");
    long factor = 1;
    String[][] units = {
      {"KIB", "1024"},
      {"MIB", "1048576"},
      {"GIB", "1073741824"},
      {"KB", "1000"},
      {"MB", "1000000"},
      {"GB", "1000000000"},
      {"B", "1"}
    };
    for (String[] u : units) {
      if (v.endsWith(u[0])) {
        factor = Long.parseLong(u[1]);
        v = v.substring(0, v.length() - u[0].length()).trim();
        break;
      }
    }
    try {
      return (long) (Double.parseDouble(v) * factor);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a byte rate: " + value + " (e.g. 50MiB)");
    }
  }
}
