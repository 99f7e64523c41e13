package io.lifeboat.core.provider;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes the password out of a URI-style source spec ({@code postgres://app:pw@db/shop} becomes
 * {@code postgres://app@db/shop} and {@code pw}) and puts it back, so a request can carry the spec
 * in the clear and the password sealed.
 */
public final class SpecCredentials {

  private static final Pattern USERINFO =
      Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@:]*):([^/@]*)@(.*)$");

  /**
   * The spec without its password, and the password.
   *
   * @param spec the spec as the user wrote it
   * @param password the password (percent-decoded), if there was one
   */
  public record Split(String spec, Optional<String> password) {}

  private SpecCredentials() {}

  public static Split split(String spec) {
    Matcher m = USERINFO.matcher(spec);
    if (!m.matches()) {
      return new Split(spec, Optional.empty());
    }
    String user = m.group(2);
    String without = m.group(1) + (user.isEmpty() ? "" : user + "@") + m.group(4);
    return new Split(
        without,
        Optional.of(
            java.net.URLDecoder.decode(m.group(3), java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Whether the spec carries a password. */
  public static boolean hasPassword(String spec) {
    return USERINFO.matcher(spec).matches();
  }

  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)[?&](?:password|passwd|pass|pwd|secret|token|key|apikey|api_key|access_token|sig|signature|credential)[^=&]*=");

  /**
   * Whether a URL carries a credential: a password in its user info, or a query parameter named
   * like one ({@code password}, {@code token}, {@code key}, {@code sig}, ...).
   */
  public static boolean hasSecret(String url) {
    return hasPassword(url) || SECRET_PARAMETER.matcher(url).find();
  }

  /** Puts a password back into a spec that has none. */
  public static String inject(String spec, String password) {
    int scheme = spec.indexOf("://");
    if (scheme < 0) {
      throw new IllegalArgumentException("not a URI spec: " + Redact.spec(spec));
    }
    String rest = spec.substring(scheme + 3);
    int at = rest.indexOf('@');
    int slash = rest.indexOf('/');
    String encoded =
        java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20");
    String head = spec.substring(0, scheme + 3);
    if (at >= 0 && (slash < 0 || at < slash)) {
      return head + rest.substring(0, at) + ":" + encoded + rest.substring(at);
    }
    return head + ":" + encoded + "@" + rest;
  }
}
