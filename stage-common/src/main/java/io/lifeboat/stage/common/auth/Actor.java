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
