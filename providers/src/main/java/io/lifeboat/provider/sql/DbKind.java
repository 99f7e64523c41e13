package io.lifeboat.provider.sql;

import io.lifeboat.core.provider.InvalidSourceException;
import java.util.Set;

/**
 * What {@link SqlProvider} needs to know of a database server kind that is a value rather than
 * behaviour, so that a provider states it once instead of in one overriding method each.
 *
 * @param kind the component kind, which messages also show as the scheme (postgres, mysql)
 * @param schemes the URI schemes accepted
 * @param defaultPort the port when a URI names none
 * @param defaultUser the user when a URI names none
 * @param passwordVariable the environment variable a password may come from
 * @param maxDatabaseName the server's longest database name
 * @param serverDatabase the database to connect to for work on the server rather than in one
 *     database (creating, dropping or looking for databases)
 */
public record DbKind(
    String kind,
    Set<String> schemes,
    int defaultPort,
    String defaultUser,
    String passwordVariable,
    int maxDatabaseName,
    String serverDatabase) {

  /** A database URI of this kind. */
  public DbUri parse(String spec) throws InvalidSourceException {
    return DbUri.parse(spec, schemes, defaultPort, defaultUser, passwordVariable);
  }
}
