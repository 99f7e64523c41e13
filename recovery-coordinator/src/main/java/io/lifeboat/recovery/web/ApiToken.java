package io.lifeboat.recovery.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * The bearer token that API calls which change something must carry ({@code Authorization: Bearer
 * TOKEN}). Without a configured token those calls are refused: changes are then possible only over
 * Kafka, whose ACLs guard them.
 */
public final class ApiToken {

  private final byte @Nullable [] token;

  /**
   * @param token the configured token, or null/blank for none
   */
  public ApiToken(@Nullable String token) {
    this.token =
        token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
  }

  public boolean configured() {
    return token != null;
  }

  /** Whether the Authorization header carries the token (compared in constant time). */
  public boolean admits(@Nullable String authorizationHeader) {
    if (token == null
        || authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())) {
      return false;
    }
    byte[] given =
        authorizationHeader.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token, given);
  }
}
