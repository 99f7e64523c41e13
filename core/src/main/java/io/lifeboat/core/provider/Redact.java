package io.lifeboat.core.provider;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Removes credentials from specs and URIs before they reach a message, a log or an event. */
public final class Redact {

  private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/@:\\s]*):[^/@\\s]*@");
  private static final Pattern SECRET_PARAMS =
      Pattern.compile(
          "(?i)([?&](?:password|pass|pwd|secret|token|key|sig|credential)[^=&]*=)[^&]*");

  private Redact() {}

  public static @Nullable String spec(@Nullable String spec) {
    if (spec == null) {
      return null;
    }
    String s = USERINFO_PASSWORD.matcher(spec).replaceAll("$1:***@");
    return SECRET_PARAMS.matcher(s).replaceAll("$1***");
  }
}
