package io.lifeboat.provider.sql;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.HealthReport;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What PostgreSQL and MariaDB do alike: a database URI, a source check (tool present, server
 * reachable), the post-restore health check (tables and row counts as the backup recorded them),
 * scratch databases for recovery tests and check queries. Dump, restore and moving aside are each
 * server's own.
 */
public abstract class SqlProvider implements ComponentProvider {

  /** The database URI of a spec, with the server's scheme, default port, user and password variable. */
  protected abstract DbUri parseUri(String spec) throws InvalidSourceException;

  protected abstract Connection open(DbUri uri) throws SQLException;

  /** Throws, saying how to install it, when the dump tool is missing. */
  protected abstract void requireDumpTool() throws IOException;

  /** User tables, display name to quoted SQL name. */
  protected abstract Map<String, String> tables(Connection c, DbUri uri) throws SQLException;

  /** The server's port when a URI names none. */
  protected abstract int defaultPort();

  /** The server's longest database name. */
  protected abstract int maxDatabaseName();

  protected final DbUri uriOrThrow(String spec) throws IOException {
    try {
      return parseUri(spec);
    } catch (InvalidSourceException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** "cannot use URI: first line of the error", never with the password. */
  protected static String problem(DbUri uri, Exception e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return "cannot use " + uri.display() + ": " + m.lines().findFirst().orElse(m);
  }

  @Override
  public ComponentSource parse(String spec) throws InvalidSourceException {
    DbUri uri = parseUri(spec);
    if (uri.database().isEmpty()) {
      throw new InvalidSourceException(kind() + ": name the database: " + kind() + "://user@host:" + defaultPort() + "/DATABASE");
    }
    return new ComponentSource(kind(), spec, uri.display());
  }

  @Override
  public List<String> check(ComponentSource source) {
    DbUri uri;
    try {
      uri = parseUri(source.location());
    } catch (InvalidSourceException e) {
      return List.of(e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    try {
      requireDumpTool();
    } catch (IOException e) {
      problems.add(e.getMessage());
    }
    try (Connection c = open(uri)) {
      c.isValid(5);
    } catch (SQLException e) {
      problems.add(problem(uri, e));
    }
    return problems;
  }

  @Override
  public HealthReport healthCheck(RestoreTarget target, Map<String, String> metadata) throws IOException {
    DbUri uri = uriOrThrow(target.spec());
    List<String> checks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (Connection c = open(uri)) {
      checks.add("connected to " + uri.display());
      TableCounts.compare(TableCounts.count(c, tables(c, uri)), metadata, checks, problems);
    } catch (SQLException e) {
      problems.add(problem(uri, e));
    }
    return new HealthReport(checks, problems);
  }

  /** The target on the same server with the database {@code lbtest_<suffix>_<db>}. */
  @Override
  public Optional<String> scratchTarget(String targetSpec, String suffix) {
    try {
      DbUri uri = parseUri(targetSpec);
      String base = uri.database().isEmpty() ? "lifeboat" : uri.database();
      String name = "lbtest_" + suffix + "_" + base;
      int max = maxDatabaseName();
      return Optional.of(ComponentProvider.withDatabaseName(targetSpec, name.length() > max ? name.substring(0, max) : name));
    } catch (InvalidSourceException e) {
      return Optional.empty();
    }
  }

  /** The first column of the first row of a query ("(no rows)" when none), with a 60 s timeout. */
  @Override
  public String queryValue(RestoreTarget target, String sql) throws IOException {
    DbUri uri = uriOrThrow(target.spec());
    try (Connection c = open(uri); Statement s = c.createStatement()) {
      s.setQueryTimeout(60);
      try (ResultSet rs = s.executeQuery(sql)) {
        return rs.next() ? String.valueOf(rs.getString(1)) : "(no rows)";
      }
    } catch (SQLException e) {
      throw new IOException("query on " + uri.display() + " failed: " + e.getMessage(), e);
    }
  }
}
