package io.lifeboat.stage.common.auth;

import org.jspecify.annotations.Nullable;

/**
 * Who sent an API request, as the API authenticated it.
 *
 * @param name the token's name (a person or a system); "anonymous" when unauthenticated
 * @param role what the token may do; null when unauthenticated
 * @param tokenId the token's id (never its secret); empty when unauthenticated
 * @param source the client's address
 */
public record Actor(String name, @Nullable Role role, String tokenId, String source) {

  /** The request attribute the API's filter stores the actor under. */
  public static final String ATTRIBUTE = "io.lifeboat.actor";

  /**
   * The token id of the host's single token ({@code $LIFEBOAT_HOME/api-token}, {@code
   * lifeboat.api.token}), which acts as the admin {@code api}; named tokens have 8 hex digits.
   */
  public static final String HOST_TOKEN_ID = "api-token";

  /**
   * Whether this is the host's single token: a login of the machine, not of a person, so it cannot
   * be one of the four eyes.
   */
  public boolean hostToken() {
    return HOST_TOKEN_ID.equals(tokenId);
  }

  public static Actor anonymous(String source) {
    return new Actor("anonymous", null, "", source);
  }

  public boolean authenticated() {
    return role != null;
  }

  /** Whether this actor may do what {@code required} may. */
  public boolean may(Role required) {
    return role != null && role.covers(required);
  }
}
