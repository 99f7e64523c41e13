package io.lifeboat.core.provider;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Removes credentials from specs and URIs before they reach a message, a log or an event. */
public final class Redact {

  private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/@:\\s]*):[^/@\\s]*@");
  private static final Pattern SECRET_PARAMS =
      Pattern.compile(
          "(?i)([?&](?:password|pass|pwd|secret|token|key|sig|credential)[^=&]*=)[^&]*");

  private static final Pattern USERINFO = Pattern.compile("//[^/@\\s]*@");

  private Redact() {}

  public static @Nullable String spec(@Nullable String spec) {
    if (spec == null) {
      return null;
    }
    String s = USERINFO_PASSWORD.matcher(spec).replaceAll("$1:***@");
    return SECRET_PARAMS.matcher(s).replaceAll("$1***");
  }

  /**
   * A storage location as a metric label or a heading: without its query (options, signatures) and
   * without any user or password, e.g. {@code s3://bucket/prefix}, {@code /var/backups}.
   */
  public static String location(String location) {
    String s = location.strip();
    int q = s.indexOf('?');
    if (q >= 0) {
      s = s.substring(0, q);
    }
    return USERINFO.matcher(s).replaceFirst("//");
  }
}
