package io.lifeboat.provider.sql;

import io.lifeboat.core.provider.CheckLogin;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.HealthReport;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * What PostgreSQL and MariaDB do alike: a database URI and its login, a source check (tool present,
 * server reachable), a target check (tool present, database named, and occupied only where the
 * restore may move it aside), the post-restore health check (tables and row counts as the backup
 * recorded them), scratch databases for recovery tests and check queries. Dump, restore and moving
 * aside are each server's own.
 */
public abstract class SqlProvider implements ComponentProvider {

  private final DbKind db;

  protected SqlProvider(DbKind db) {
    this.db = db;
  }

  protected abstract Connection open(DbUri uri) throws SQLException;

  /** Throws, saying how to install it, when the dump tool is missing. */
  protected abstract void requireDumpTool() throws IOException;

  /** Throws, saying how to install it, when the restore tool is missing. */
  protected abstract void requireRestoreTool() throws IOException;

  /** User tables, display name to quoted SQL name. */
  protected abstract Map<String, String> tables(Connection c, DbUri uri) throws SQLException;

  /** Whether the URI's database exists and holds anything of its own (tables, routines, ...). */
  protected abstract boolean occupied(DbUri uri) throws SQLException;

  @Override
  public final String kind() {
    return db.kind();
  }

  @Override
  public final Set<String> schemes() {
    return db.schemes();
  }

  @Override
  public final int defaultPort() {
    return db.defaultPort();
  }

  /**
   * The database URI of a spec, with the server's schemes, default port, user and password
   * variable.
   */
  protected final DbUri parseUri(String spec) throws InvalidSourceException {
    return db.parse(spec);
  }

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
    return new ComponentSource(kind(), spec, namingDatabase(spec, "the database").display());
  }

  /**
   * The URI of a spec that must name a database ({@code which} says which one, for the message).
   */
  private DbUri namingDatabase(String spec, String which) throws InvalidSourceException {
    DbUri uri = parseUri(spec);
    if (uri.database().isEmpty()) {
      throw new InvalidSourceException(
          kind()
              + ": name "
              + which
              + ": "
              + kind()
              + "://user@host:"
              + db.defaultPort()
              + "/DATABASE");
    }
    return uri;
  }

  /** JDBC connection properties with the URI's user, and its password when it has one. */
  protected static Properties login(DbUri uri) {
    Properties p = new Properties();
    p.setProperty("user", uri.user());
    if (uri.password() != null) {
      p.setProperty("password", uri.password());
    }
    return p;
  }

  @Override
  public List<String> check(ComponentSource source) {
    return problems(
        source.location(),
        this::parseUri,
        this::requireDumpTool,
        uri -> {
          try (Connection c = open(uri)) {
            c.isValid(5);
            return Optional.empty();
          } catch (SQLException e) {
            return Optional.of(problem(uri, e));
          }
        });
  }

  @Override
  public List<String> checkTarget(RestoreTarget target) {
    return problems(
        target.spec(),
        spec -> namingDatabase(spec, "the target database"),
        this::requireRestoreTool,
        uri -> occupiedProblem(uri, target.occupied()));
  }

  /** What stands in the way of restoring into an occupied database, as the target asks to. */
  private Optional<String> occupiedProblem(DbUri uri, RestoreTarget.Occupied occupied) {
    try {
      if (!occupied(uri)) {
        return Optional.empty();
      }
    } catch (SQLException e) {
      return Optional.of(problem(uri.withDatabase(db.serverDatabase()), e));
    }
    if (occupied == RestoreTarget.Occupied.REFUSE) {
      return Optional.of(
          "database "
              + uri.display()
              + " exists and holds data (restore with --replace to move it aside)");
    }
    if (occupied == RestoreTarget.Occupied.MERGE) {
      return Optional.of(
          kind()
              + " cannot restore into an existing database (--force); use --replace to move it aside");
    }
    return Optional.empty();
  }

  /**
   * The problems of a source or target spec, in the order they are to be fixed: one that does not
   * parse has only that problem; else a missing client tool, then what the server says.
   */
  private List<String> problems(
      String spec, UriParser parser, ToolCheck tool, Function<DbUri, Optional<String>> onServer) {
    DbUri uri;
    try {
      uri = parser.parse(spec);
    } catch (InvalidSourceException e) {
      return List.of(e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    try {
      tool.require();
    } catch (IOException e) {
      problems.add(e.getMessage());
    }
    onServer.apply(uri).ifPresent(problems::add);
    return problems;
  }

  /** Parses a source or target spec. */
  private interface UriParser {
    DbUri parse(String spec) throws InvalidSourceException;
  }

  /** {@link #requireDumpTool} or {@link #requireRestoreTool}. */
  private interface ToolCheck {
    void require() throws IOException;
  }

  @Override
  public boolean occupied(RestoreTarget target) throws IOException {
    try {
      return occupied(uriOrThrow(target.spec()));
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public HealthReport healthCheck(RestoreTarget target, Map<String, String> metadata)
      throws IOException {
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
      int max = db.maxDatabaseName();
      return Optional.of(
          ComponentProvider.withDatabaseName(
              targetSpec, name.length() > max ? name.substring(0, max) : name));
    } catch (InvalidSourceException e) {
      return Optional.empty();
    }
  }

  /** How a check query runs on this server: the rights it refuses, its read-only transaction. */
  protected abstract CheckQuery.Dialect checkDialect();

  /**
   * A plan's check query, as {@code login} on the target's server and database (never as the
   * target's user, who may be a superuser); see {@link CheckQuery}.
   */
  @Override
  public String queryValue(RestoreTarget target, String sql, CheckLogin login) throws IOException {
    DbUri t = uriOrThrow(target.spec());
    DbUri uri =
        new DbUri(t.scheme(), login.user(), login.password(), t.host(), t.port(), t.database());
    try (Connection c = open(uri)) {
      return CheckQuery.firstValue(c, login.user(), sql, checkDialect());
    } catch (SQLException e) {
      throw new IOException("query on " + uri.display() + " failed: " + e.getMessage(), e);
    }
  }
}
