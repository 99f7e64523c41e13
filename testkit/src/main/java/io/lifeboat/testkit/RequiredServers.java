package io.lifeboat.testkit;

import java.util.Arrays;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a real server it needs is missing: skip, unless the server is named in the
 * system property {@code lifeboat.test.required} (comma-separated, or "all"), which CI sets, in
 * which case the test fails. A developer without MariaDB can run the rest; CI cannot pass by
 * skipping.
 */
public final class RequiredServers {

  private RequiredServers() {}

  public static boolean required(String server) {
    String list = System.getProperty("lifeboat.test.required", "");
    return Arrays.stream(list.split(","))
        .map(String::strip)
        .anyMatch(s -> s.equals("all") || s.equals(server));
  }

  /** Skips or fails (see class comment) when {@code available} is false. */
  public static void assume(String server, boolean available, String why) {
    if (available) {
      return;
    }
    if (required(server)) {
      Assertions.fail(server + " is required (lifeboat.test.required) but unavailable: " + why);
    }
    Assumptions.abort(server + " unavailable, test skipped: " + why);
  }
}
