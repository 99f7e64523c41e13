package io.lifeboat.core.provider;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who a plan's SQL check connects as: a role named by the executor's own configuration, never the
 * target's user (which is often a superuser that could run programs or read the server's files).
 *
 * @param user the role's name
 * @param password its password, or null (trust or peer authentication)
 */
public record CheckLogin(String user, @Nullable String password) {

  public CheckLogin {
    Objects.requireNonNull(user, "user");
  }

  @Override
  public String toString() {
    return user; // never the password
  }
}
