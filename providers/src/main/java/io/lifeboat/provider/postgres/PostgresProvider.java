package io.lifeboat.provider.postgres;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.provider.sql.DbKind;
import io.lifeboat.provider.sql.DbUri;
import io.lifeboat.provider.sql.ExternalTool;
import io.lifeboat.provider.sql.SqlProvider;
import io.lifeboat.provider.sql.TableCounts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@code postgres://user@host:5432/db}: one database, dumped with {@code pg_dump --format=custom
 * --compress=0} (Lifeboat compresses; uncompressed dumps deduplicate) inside a snapshot the
 * provider exports, so the row counts it records are those of the dump. Restored with {@code
 * pg_restore} into a new database, or in place of an existing one that is renamed aside first and
 * renamed back if the restore or its health check (tables and row counts) fails.
 */
public final class PostgresProvider extends SqlProvider {

  /**
   * PostgreSQL: port 5432, user postgres, the password from PGPASSWORD, database names of up to 63
   * characters; server-level work connects to the database "postgres".
   */
  static final DbKind DB =
      new DbKind(
          "postgres",
          Set.of("postgres", "postgresql"),
          5432,
          "postgres",
          "PGPASSWORD",
          63,
          "postgres");

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final List<Path> TOOL_DIRS =
      ExternalTool.versionedDirs(Path.of("/usr/lib/postgresql"), "bin");

  public PostgresProvider() {
    super(DB);
  }

  @Override
  protected Connection open(DbUri uri) throws SQLException {
    return connect(uri);
  }

  @Override
  protected io.lifeboat.provider.sql.CheckQuery.Dialect checkDialect() {
    return PgCheckDialect.INSTANCE;
  }

  @Override
  protected void requireDumpTool() throws IOException {
    tool("pg_dump");
  }

  @Override
  protected Map<String, String> tables(Connection c, DbUri uri) throws SQLException {
    return tables(c);
  }

  @Override
  protected void requireRestoreTool() throws IOException {
    tool("pg_restore");
  }

  static Connection connect(DbUri uri) throws SQLException {
    Properties p = login(uri);
    p.setProperty("connectTimeout", "5");
    p.setProperty("ApplicationName", "lifeboat");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + uri.host() + ":" + uri.port() + "/" + uri.database(), p);
  }

  static ExternalTool tool(String name) throws IOException {
    return ExternalTool.find(List.of(name), TOOL_DIRS)
        .orElseThrow(
            () ->
                new IOException(
                    name
                        + " not found (install the PostgreSQL client tools: apt-get install postgresql-client)"));
  }

  private static Map<String, String> env(DbUri uri) {
    Map<String, String> env = new HashMap<>();
    if (uri.password() != null) {
      env.put("PGPASSWORD", uri.password());
    }
    env.put("PGCONNECT_TIMEOUT", "10");
    env.put("PGAPPNAME", "lifeboat");
    return env;
  }

  private static List<String> connArgs(DbUri uri) {
    return List.of(
        "--host=" + uri.host(),
        "--port=" + uri.port(),
        "--username=" + uri.user(),
        "--no-password");
  }

  @Override
  public DumpResult dump(ComponentSource source, OutputStream out) throws IOException {
    DbUri uri = uriOrThrow(source.location());
    ExternalTool pgDump = tool("pg_dump");
    try (Connection c = connect(uri)) {
      c.setAutoCommit(false);
      Map<String, String> metadata = new HashMap<>();
      try (Statement s = c.createStatement()) {
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        String snapshot;
        try (ResultSet r =
            s.executeQuery("SELECT pg_export_snapshot(), current_setting('server_version')")) {
          r.next();
          snapshot = r.getString(1);
          metadata.put("serverVersion", r.getString(2));
        }
        metadata.putAll(TableCounts.asMetadata(TableCounts.count(c, tables(c))));
        metadata.put("pgDumpVersion", pgDump.version());
        metadata.put("format", "pg_dump custom, uncompressed");
        List<String> args = new ArrayList<>(connArgs(uri));
        args.addAll(
            List.of(
                "--format=custom",
                "--compress=0",
                "--snapshot=" + snapshot,
                "--dbname=" + uri.database()));
        pgDump.run(args, env(uri), null, out);
      }
      c.commit();
      return new DumpResult(metadata, List.of());
    } catch (SQLException e) {
      throw new IOException(problem(uri, e), e);
    }
  }

  /** User tables (and partitions' parents), display name to quoted SQL name. */
  static Map<String, String> tables(Connection c) throws SQLException {
    Map<String, String> t = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1, 2")) {
      while (r.next()) {
        t.put(
            r.getString(1) + "." + r.getString(2),
            quote(r.getString(1)) + "." + quote(r.getString(2)));
      }
    }
    return t;
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  protected boolean occupied(DbUri uri) throws SQLException {
    if (!exists(uri)) {
      return false;
    }
    try (Connection c = connect(uri);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + "  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%')"
                    + " + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                    + "  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))")) {
      r.next();
      return r.getLong(1) > 0;
    }
  }

  private static boolean exists(DbUri uri) throws SQLException {
    try (Connection c = connect(uri.withDatabase("postgres"));
        PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      s.setString(1, uri.database());
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  @Override
  public Aside moveAside(RestoreTarget target) throws IOException {
    DbUri uri = uriOrThrow(target.spec());
    Instant now = Instant.now();
    String name = uri.database();
    String aside =
        (name.length() > 40 ? name.substring(0, 40) : name) + "_lbaside_" + STAMP.format(now);
    try (Connection c = connect(uri.withDatabase("postgres"))) {
      disconnect(c, name);
      try (Statement s = c.createStatement()) {
        s.execute("ALTER DATABASE " + quote(name) + " RENAME TO " + quote(aside));
      }
    } catch (SQLException e) {
      throw new IOException("cannot move " + uri.display() + " aside: " + e.getMessage(), e);
    }
    return new Aside(kind(), target.spec(), aside, now);
  }

  private static void disconnect(Connection c, String database) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
      s.setString(1, database);
      s.executeQuery().close();
    }
  }

  @Override
  public void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    DbUri uri = uriOrThrow(target.spec());
    try {
      if (!exists(uri)) {
        try (Connection c = connect(uri.withDatabase("postgres"));
            Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + quote(uri.database()) + " TEMPLATE template0");
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot create " + uri.display() + ": " + e.getMessage(), e);
    }
    List<String> args = new ArrayList<>(connArgs(uri));
    args.addAll(List.of("--dbname=" + uri.database(), "--exit-on-error"));
    tool("pg_restore").run(args, env(uri), stream, null);
  }

  @Override
  public void rollBack(RestoreTarget target, Optional<Aside> aside) throws IOException {
    DbUri uri = uriOrThrow(target.spec());
    try (Connection c = connect(uri.withDatabase("postgres"))) {
      if (aside.isPresent() && !exists(uri.withDatabase(aside.get().location()))) {
        // without the original, the restored database is all there is: keep it
        throw new IOException(
            "the original of "
                + uri.display()
                + " is no longer at database "
                + aside.get().location()
                + "; the restored database is left in place");
      }
      disconnect(c, uri.database());
      try (Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + quote(uri.database()));
        if (aside.isPresent()) {
          disconnect(c, aside.get().location());
          s.execute(
              "ALTER DATABASE "
                  + quote(aside.get().location())
                  + " RENAME TO "
                  + quote(uri.database()));
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot roll back " + uri.display() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void dropAside(Aside aside) throws IOException {
    DbUri uri = uriOrThrow(aside.target());
    try (Connection c = connect(uri.withDatabase("postgres"))) {
      disconnect(c, aside.location());
      try (Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + quote(aside.location()));
      }
    } catch (SQLException e) {
      throw new IOException("cannot drop " + aside.location() + ": " + e.getMessage(), e);
    }
  }
}
