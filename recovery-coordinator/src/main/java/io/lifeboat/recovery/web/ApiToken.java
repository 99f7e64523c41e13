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

  /**
   * Why a call that changes something is refused (403 when no token is configured, 401 without the
   * token), or null when the header carries the token.
   */
  public org.springframework.http.@Nullable ResponseEntity<?> refusal(
      @Nullable String authorizationHeader) {
    if (!configured()) {
      return org.springframework.http.ResponseEntity.status(
              org.springframework.http.HttpStatus.FORBIDDEN)
          .body(
              java.util.Map.of(
                  "error",
                  "changes over the API are disabled: no API token is configured (lifeboat.api.token)"));
    }
    if (!admits(authorizationHeader)) {
      return org.springframework.http.ResponseEntity.status(
              org.springframework.http.HttpStatus.UNAUTHORIZED)
          .header("WWW-Authenticate", "Bearer")
          .body(
              java.util.Map.of(
                  "error",
                  "this call changes something: send Authorization: Bearer <the API token>"));
    }
    return null;
  }
}
