package io.lifeboat.provider.sql;

import io.lifeboat.core.provider.ComponentProvider;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** What recovery needs of a SQL target, the same for PostgreSQL and MariaDB: scratch databases and check queries. */
public final class SqlTargets {

  /** Opens a connection to a database. */
  @FunctionalInterface
  public interface Connector {
    Connection connect(DbUri uri) throws SQLException;
  }

  private SqlTargets() {}

  /**
   * The target on the same server with the database {@code lbtest_<suffix>_<db>}, cut to the
   * server's longest name.
   */
  public static Optional<String> scratchTarget(String targetSpec, DbUri uri, String suffix, int maxNameLength) {
    String base = uri.database().isEmpty() ? "lifeboat" : uri.database();
    String name = "lbtest_" + suffix + "_" + base;
    return Optional.of(ComponentProvider.withDatabaseName(targetSpec, name.length() > maxNameLength ? name.substring(0, maxNameLength) : name));
  }

  /** The first column of the first row of a query ("(no rows)" when none), with a 60 s timeout. */
  public static String queryValue(DbUri uri, String sql, Connector connector) throws IOException {
    try (Connection c = connector.connect(uri); Statement s = c.createStatement()) {
      s.setQueryTimeout(60);
      try (ResultSet rs = s.executeQuery(sql)) {
        return rs.next() ? String.valueOf(rs.getString(1)) : "(no rows)";
      }
    } catch (SQLException e) {
      throw new IOException("query on " + uri.display() + " failed: " + e.getMessage(), e);
    }
  }
}
