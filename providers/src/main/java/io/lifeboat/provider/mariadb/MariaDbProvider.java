package io.lifeboat.provider.mariadb;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code mysql://user@host:3306/db} (or {@code mariadb://}): one database, dumped with {@code
 * mariadb-dump --single-transaction} (or mysqldump) with routines, triggers and events, and without
 * the dump date, so an unchanged database dumps to the same bytes. Row counts are taken in a
 * consistent snapshot just before the dump (a separate one: on a database written to during the
 * backup they may differ from the dump's). Restored with the {@code mariadb} client into a new
 * database; an existing one is dumped to an owner-only file and dropped first (MariaDB cannot
 * rename a database), and reloaded from that file if the restore or its health check fails.
 */
public final class MariaDbProvider extends SqlProvider {

  /**
   * MariaDB and MySQL: port 3306, user root, the password from MYSQL_PWD, database names of up to
   * 64 characters; server-level work connects without a database.
   */
  static final DbKind DB =
      new DbKind("mysql", Set.of("mysql", "mariadb"), 3306, "root", "MYSQL_PWD", 64, "");

  private final Path asideDir;

  public MariaDbProvider() {
    this(Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-aside"));
  }

  MariaDbProvider(Path asideDir) {
    super(DB);
    this.asideDir = asideDir;
  }

  @Override
  protected Connection open(DbUri uri) throws SQLException {
    return connect(uri);
  }

  @Override
  protected io.lifeboat.provider.sql.CheckQuery.Dialect checkDialect() {
    return MariaDbCheckDialect.INSTANCE;
  }

  @Override
  protected void requireDumpTool() throws IOException {
    tool("mariadb-dump", "mysqldump");
  }

  @Override
  protected Map<String, String> tables(Connection c, DbUri uri) throws SQLException {
    return tables(c, uri.database());
  }

  @Override
  protected void requireRestoreTool() throws IOException {
    tool("mariadb", "mysql");
  }

  static Connection connect(DbUri uri) throws SQLException {
    Properties p = login(uri);
    p.setProperty("connectTimeout", "5000");
    return DriverManager.getConnection(
        "jdbc:mariadb://" + uri.host() + ":" + uri.port() + "/" + uri.database(), p);
  }

  static ExternalTool tool(String... names) throws IOException {
    return ExternalTool.find(List.of(names), List.of())
        .orElseThrow(
            () ->
                new IOException(
                    names[0]
                        + " not found (install the MariaDB or MySQL client: apt-get install mariadb-client)"));
  }

  /** Runs a client tool with the credentials in an owner-only option file, deleted afterwards. */
  private static void run(
      ExternalTool tool,
      DbUri uri,
      List<String> args,
      @Nullable InputStream in,
      @Nullable OutputStream out)
      throws IOException {
    Path options =
        Files.createTempFile(
            "lifeboat-mysql-",
            ".cnf",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      StringBuilder cnf = new StringBuilder("[client]\nuser=").append(uri.user()).append('\n');
      if (uri.password() != null) {
        cnf.append("password=\"")
            .append(uri.password().replace("\\", "\\\\").replace("\"", "\\\""))
            .append("\"\n");
      }
      Files.writeString(options, cnf, StandardCharsets.UTF_8);
      List<String> all = new ArrayList<>();
      all.add("--defaults-extra-file=" + options);
      all.add("--host=" + uri.host());
      all.add("--port=" + uri.port());
      all.add("--protocol=TCP");
      all.addAll(args);
      tool.run(all, Map.of(), in, out);
    } finally {
      Files.deleteIfExists(options);
    }
  }

  private static void dumpDatabase(DbUri uri, OutputStream out) throws IOException {
    run(
        tool("mariadb-dump", "mysqldump"),
        uri,
        List.of(
            "--single-transaction",
            "--routines",
            "--triggers",
            "--events",
            "--hex-blob",
            "--skip-dump-date",
            "--default-character-set=utf8mb4",
            "--no-tablespaces",
            uri.database()),
        null,
        out);
  }

  @Override
  public DumpResult dump(ComponentSource source, OutputStream out) throws IOException {
    DbUri uri = uriOrThrow(source.location());
    Map<String, String> metadata = new HashMap<>();
    try (Connection c = connect(uri)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        try (ResultSet r = s.executeQuery("SELECT VERSION()")) {
          r.next();
          metadata.put("serverVersion", r.getString(1));
        }
        metadata.putAll(TableCounts.asMetadata(TableCounts.count(c, tables(c, uri.database()))));
      }
      c.commit();
    } catch (SQLException e) {
      throw new IOException(problem(uri, e), e);
    }
    ExternalTool dump = tool("mariadb-dump", "mysqldump");
    metadata.put("dumpVersion", dump.version());
    metadata.put("format", "SQL (" + dump.name() + ")");
    dumpDatabase(uri, out);
    return new DumpResult(metadata, List.of());
  }

  static Map<String, String> tables(Connection c, String database) throws SQLException {
    Map<String, String> t = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY 1")) {
      s.setString(1, database);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          t.put(r.getString(1), quote(database) + "." + quote(r.getString(1)));
        }
      }
    }
    return t;
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  @Override
  protected boolean occupied(DbUri uri) throws SQLException {
    try (Connection c = connect(uri.withDatabase(""));
        PreparedStatement s =
            c.prepareStatement(
                "SELECT (SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?),"
                    + " (SELECT count(*) FROM information_schema.tables WHERE table_schema = ?)"
                    + " + (SELECT count(*) FROM information_schema.routines WHERE routine_schema = ?)"
                    + " + (SELECT count(*) FROM information_schema.events WHERE event_schema = ?)")) {
      for (int i = 1; i <= 4; i++) {
        s.setString(i, uri.database());
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1) > 0 && r.getLong(2) > 0;
      }
    }
  }

  private static void execute(DbUri server, String sql) throws IOException {
    try (Connection c = connect(server.withDatabase(""));
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IOException(problem(server, e), e);
    }
  }

  @Override
  public Aside moveAside(RestoreTarget target) throws IOException {
    DbUri uri = uriOrThrow(target.spec());
    // the only copy of the original goes here: a folder another user made (in /tmp) could be
    // used to swap it before a rollback replays it
    io.lifeboat.core.policy.RealPaths.makeOwnFolder(asideDir);
    Path file =
        Files.createTempFile(
            asideDir,
            "mysql-" + uri.database() + "-",
            ".sql",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(file)) {
      dumpDatabase(uri, out);
    }
    execute(uri, "DROP DATABASE " + quote(uri.database()));
    return new Aside(kind(), target.spec(), file.toString(), Instant.now());
  }

  @Override
  public void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    DbUri uri = uriOrThrow(target.spec());
    load(uri, stream);
  }

  private static void load(DbUri uri, InputStream sql) throws IOException {
    execute(
        uri, "CREATE DATABASE IF NOT EXISTS " + quote(uri.database()) + " CHARACTER SET utf8mb4");
    run(
        tool("mariadb", "mysql"),
        uri,
        // binary mode: the client runs no '\\!' shell command or other client command a dump (or
        // a swapped original) might hold, beyond DELIMITER
        List.of("--binary-mode", "--default-character-set=utf8mb4", uri.database()),
        sql,
        null);
  }

  @Override
  public void rollBack(RestoreTarget target, Optional<Aside> aside) throws IOException {
    DbUri uri = uriOrThrow(target.spec());
    if (aside.isPresent() && !Files.exists(Path.of(aside.get().location()))) {
      // without the original, the restored database is all there is: keep it
      throw new IOException(
          "the original of "
              + uri.display()
              + " is no longer at "
              + aside.get().location()
              + "; the restored database is left in place");
    }
    execute(uri, "DROP DATABASE IF EXISTS " + quote(uri.database()));
    if (aside.isPresent()) {
      try (InputStream in = Files.newInputStream(Path.of(aside.get().location()))) {
        load(uri, in);
      }
    }
  }

  @Override
  public void dropAside(Aside aside) throws IOException {
    Files.deleteIfExists(Path.of(aside.location()));
  }
}
