package io.lifeboat.provider.postgres;

import io.lifeboat.core.provider.CheckLogin;
import io.lifeboat.core.provider.HealthReport;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.provider.sql.CheckQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL data directory as a restore target: {@code
 * /srv/pg/restored?port=5433&runAs=postgres}. A restore unpacks the base backup into it, sets up
 * archive recovery from a folder of fetched WAL ({@code walSpool}, up to {@code recoveryTargetTime}
 * when given), starts the server as {@code runAs} and waits until recovery has ended and the server
 * has promoted. The server is left running: that is the restored database.
 */
final class PgDataDirectory {

  /** Marks the settings Lifeboat appends to postgresql.auto.conf, so they can be taken out. */
  static final String BEGIN = "# lifeboat restore: begin";

  static final String END = "# lifeboat restore: end";

  static final String RECOVERY_LOG = "lifeboat-recovery.log";

  /** A timestamptz literal PostgreSQL reads, to the microsecond (its precision), in UTC. */
  static final java.time.format.DateTimeFormatter POSTGRES_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
          .withZone(java.time.ZoneOffset.UTC);

  private static final String TARGET_NOT_REACHED =
      "recovery ended before configured recovery target was reached";

  private final Path dir;
  private final Map<String, String> options;

  private PgDataDirectory(Path dir, Map<String, String> options) {
    this.dir = dir;
    this.options = options;
  }

  static PgDataDirectory of(RestoreTarget target) {
    String spec = target.spec();
    int q = spec.indexOf('?');
    Map<String, String> options = new LinkedHashMap<>();
    if (q > 0) {
      for (String kv : spec.substring(q + 1).split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          options.put(
              kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    String path = q > 0 ? spec.substring(0, q) : spec;
    if (path.startsWith("pgdata:")) {
      path = path.substring("pgdata:".length());
    }
    return new PgDataDirectory(Path.of(path).toAbsolutePath().normalize(), options);
  }

  Path dir() {
    return dir;
  }

  @Nullable String option(String name) {
    return options.get(name);
  }

  /** The operating-system user the restored server runs as, when not this process's. */
  @Nullable String serverUser() {
    return runAs();
  }

  private @Nullable String runAs() {
    String u = options.get("runAs");
    if (u == null && "root".equals(System.getProperty("user.name"))) {
      return "postgres"; // PostgreSQL refuses to run as root
    }
    return u == null || u.equals(System.getProperty("user.name")) ? null : u;
  }

  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (runAs() != null && !"root".equals(System.getProperty("user.name"))) {
      problems.add("pgbase: running the server as " + runAs() + " needs root");
    }
    String port = options.get("port");
    if (port != null && !portFree(Integer.parseInt(port))) {
      problems.add("pgbase: port " + port + " is in use (another server?)");
    }
    Path parent = dir.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      problems.add("pgbase: the parent of " + dir + " does not exist");
    }
    return problems;
  }

  boolean occupied() throws IOException {
    if (!Files.isDirectory(dir)) {
      return Files.exists(dir);
    }
    try (var s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }

  Path moveAside() throws IOException {
    if (running()) {
      throw new IOException(
          "pgbase: a server is running in " + dir + "; stop it before it is replaced");
    }
    Path aside =
        dir.resolveSibling(dir.getFileName() + ".lifeboat-aside-" + System.currentTimeMillis());
    Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
    return aside;
  }

  void restore(InputStream stream, Map<String, String> metadata) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    chown(dir);
    runChecked(asRunAs(List.of("tar", "-x", "-f", "-", "-C", dir.toString())), stream, "tar");
    refuseLinks();
    sanitizeConfig(dir.resolve("postgresql.conf"));
    Files.deleteIfExists(dir.resolve("postmaster.pid"));
    Files.createDirectories(dir.resolve("pg_wal/archive_status"));
    int port = options.containsKey("port") ? Integer.parseInt(options.get("port")) : freePort();
    List<String> settings = new ArrayList<>();
    settings.add("port = " + port);
    settings.add("listen_addresses = '127.0.0.1'");
    settings.add("unix_socket_directories = ''");
    settings.add("archive_mode = off");
    settings.addAll(neutralized(dir));
    // a standby left in the backup would fetch WAL with a command of the backup's choosing
    Files.deleteIfExists(dir.resolve("standby.signal"));
    Files.deleteIfExists(dir.resolve("recovery.signal"));
    String spool = options.get("walSpool");
    if (spool != null) {
      Path sp = Path.of(spool);
      chownTree(sp);
      settings.add("restore_command = 'cp \"" + sp + "/%f\" \"%p\"'");
      String at = options.get("recoveryTargetTime");
      if (at != null) {
        settings.add("recovery_target_time = '" + POSTGRES_TIME.format(Instant.parse(at)) + "'");
        settings.add("recovery_target_inclusive = on");
      }
      settings.add("recovery_target_action = 'promote'");
      Files.writeString(dir.resolve("recovery.signal"), "");
    }
    appendSettings(settings);
    chownTree(dir);
    start(metadata);
    if (spool != null) {
      awaitPromoted(metadata);
      deleteTree(Path.of(spool)); // replayed; the server no longer reads it
    }
    clearPreloads();
  }

  /**
   * Takes out the libraries a role or database of the backup loads at every connection ({@code
   * ALTER ROLE ... SET session_preload_libraries}): a plan's check connects as a role that may not
   * override them, and such a library runs code as the server's user.
   */
  private void clearPreloads() throws IOException {
    List<String> resets = new ArrayList<>();
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT r.rolname, d.datname, cfg FROM pg_catalog.pg_db_role_setting t"
                  + " LEFT JOIN pg_catalog.pg_roles r ON r.oid = t.setrole"
                  + " LEFT JOIN pg_catalog.pg_database d ON d.oid = t.setdatabase,"
                  + " pg_catalog.unnest(t.setconfig) cfg")) {
        while (rs.next()) {
          String cfg = String.valueOf(rs.getString(3));
          String name = cfg.contains("=") ? cfg.substring(0, cfg.indexOf('=')) : cfg;
          if (!name.equals("session_preload_libraries")
              && !name.equals("local_preload_libraries")) {
            continue;
          }
          String role = rs.getString(1);
          String db = rs.getString(2);
          resets.add(
              (role == null && db != null
                      ? "ALTER DATABASE " + quoted(db)
                      : "ALTER ROLE "
                          + (role == null ? "ALL" : quoted(role))
                          + (db == null ? "" : " IN DATABASE " + quoted(db)))
                  + " RESET "
                  + name);
        }
      }
      for (String sql : resets) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IOException(
          "pgbase: cannot clear the backup's preloaded libraries: " + e.getMessage(), e);
    }
  }

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /**
   * Refuses a restored data folder that holds a link: Lifeboat and the server open fixed names in
   * it (its log, postgresql.auto.conf, pg_wal), and a link the backup brought would lead those
   * writes and reads anywhere. A base backup of this kind has none (tablespaces are not taken).
   */
  private void refuseLinks() throws IOException {
    try (var all = Files.walk(dir)) {
      java.util.Optional<Path> link = all.filter(Files::isSymbolicLink).findFirst();
      if (link.isPresent()) {
        throw new IOException(
            "pgbase: the backup holds a link, "
                + dir.relativize(link.get())
                + ": refused (a restored data folder holds no links)");
      }
    }
  }

  /** Settings and directives in the backup's postgresql.conf that Lifeboat takes out. */
  private static final java.util.regex.Pattern REDIRECTS =
      java.util.regex.Pattern.compile(
          "(?i)^\\s*(include|include_dir|include_if_exists|data_directory|config_file|hba_file|ident_file)\\b.*");

  /**
   * Comments out what would point the server away from the restored folder or pull in other files:
   * {@code data_directory} (read before postgresql.auto.conf, so Lifeboat's block could not win),
   * {@code hba_file}, {@code ident_file} and the {@code include} directives.
   */
  static void sanitizeConfig(Path conf) throws IOException {
    if (!Files.isRegularFile(conf, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(conf, StandardCharsets.UTF_8)) {
      lines.add(
          REDIRECTS.matcher(line).matches() ? "# taken out by lifeboat restore: " + line : line);
    }
    Files.write(conf, lines, StandardCharsets.UTF_8);
  }

  /**
   * The settings of the backed-up cluster that would run code, load libraries or write files of the
   * backup's choosing when the restored server starts (as whoever runs the restore), set to
   * nothing: Lifeboat's block comes last in postgresql.auto.conf, so it wins over postgresql.conf,
   * its includes and earlier lines.
   */
  static List<String> neutralized(Path dir) {
    String own = dir.toString().replace("'", "''");
    return List.of(
        "data_directory = '" + own + "'",
        "hba_file = '" + own + "/pg_hba.conf'",
        "ident_file = '" + own + "/pg_ident.conf'",
        "shared_preload_libraries = ''",
        "session_preload_libraries = ''",
        "local_preload_libraries = ''",
        "dynamic_library_path = '$libdir'",
        "jit = off",
        "archive_command = ''",
        "archive_cleanup_command = ''",
        "recovery_end_command = ''",
        "restore_command = ''",
        "primary_conninfo = ''",
        "ssl = off",
        "ssl_passphrase_command = ''",
        "external_pid_file = ''",
        "logging_collector = off");
  }

  /**
   * Appends Lifeboat's settings to postgresql.auto.conf (later settings win), after taking out the
   * block an earlier restore left there (a cluster restored from a restored cluster's backup).
   */
  private void appendSettings(List<String> settings) throws IOException {
    Path auto = dir.resolve("postgresql.auto.conf");
    List<String> kept = new ArrayList<>();
    if (Files.isRegularFile(auto)) {
      boolean inBlock = false;
      for (String line : Files.readAllLines(auto)) {
        if (line.equals(BEGIN)) {
          inBlock = true;
        } else if (line.equals(END)) {
          inBlock = false;
        } else if (!inBlock) {
          kept.add(line);
        }
      }
    }
    while (!kept.isEmpty() && kept.get(kept.size() - 1).isBlank()) {
      kept.remove(kept.size() - 1);
    }
    kept.add("");
    kept.add(BEGIN);
    kept.addAll(settings);
    kept.add(END);
    Files.write(auto, kept);
  }

  /** Takes out one setting of Lifeboat's block in postgresql.auto.conf. */
  private void dropSetting(String name) throws IOException {
    Path auto = dir.resolve("postgresql.auto.conf");
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(auto)) {
      if (!line.startsWith(name + " =")) {
        kept.add(line);
      }
    }
    Files.write(auto, kept);
  }

  private void start(Map<String, String> metadata) throws IOException {
    Path log = dir.resolve(RECOVERY_LOG);
    Proc p =
        run(
            asRunAs(
                List.of(
                    pgCtl(metadata).toString(),
                    "-D",
                    dir.toString(),
                    "-l",
                    log.toString(),
                    "-w",
                    "-t",
                    "600",
                    "start")),
            null);
    if (p.exit() != 0 && !running()) {
      if (logContains(TARGET_NOT_REACHED)) {
        // The archive ends before any commit after the target time: its end is the state at
        // that time. Replay it all.
        retargetToEnd(metadata);
        return;
      }
      throw new IOException("pgbase: the restored server did not start: " + logTail());
    }
  }

  private void retargetToEnd(Map<String, String> metadata) throws IOException {
    dropSetting("recovery_target_time");
    dropSetting("recovery_target_inclusive");
    Files.writeString(dir.resolve("recovery.signal"), "");
    chownTree(dir);
    start(metadata);
  }

  private void awaitPromoted(Map<String, String> metadata) throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
    while (Instant.now().isBefore(deadline)) {
      if (!running()) {
        if (logContains(TARGET_NOT_REACHED)) {
          retargetToEnd(metadata);
          continue;
        }
        throw new IOException("pgbase: the restored server stopped during recovery: " + logTail());
      }
      try (Connection c = connect("postgres");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return;
        }
      } catch (SQLException e) {
        // not accepting connections yet
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for recovery", e);
      }
    }
    throw new IOException("pgbase: recovery did not end within 30 minutes: " + logTail());
  }

  HealthReport healthCheck(Map<String, String> metadata) throws IOException {
    List<String> checks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (!running()) {
      return new HealthReport(List.of(), List.of("pgbase: no server is running in " + dir));
    }
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        if (rs.getBoolean(1)) {
          problems.add("pgbase: the server in " + dir + " is still in recovery");
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT (SELECT count(*) FROM pg_database WHERE datallowconn),"
                  + " (SELECT timeline_id FROM pg_control_checkpoint()),"
                  + " (SELECT system_identifier FROM pg_control_system())")) {
        rs.next();
        checks.add(
            "server on port "
                + port()
                + " accepts connections: "
                + rs.getLong(1)
                + " databases, timeline "
                + rs.getLong(2));
        String expected = metadata.get(io.lifeboat.core.wal.WalArchive.META_SYSTEM_ID);
        if (expected != null && !expected.equals(Long.toUnsignedString(rs.getLong(3)))) {
          problems.add("pgbase: the restored cluster is not the backed-up one (system id)");
        }
      }
    } catch (SQLException e) {
      problems.add("pgbase: cannot query the restored server: " + e.getMessage());
    }
    return new HealthReport(checks, problems);
  }

  void rollBack(Optional<Path> aside) throws IOException {
    if (running()) {
      stop();
    }
    deleteTree(dir);
    if (aside.isPresent()) {
      Files.move(aside.get(), dir, StandardCopyOption.ATOMIC_MOVE);
    }
    String spool = options.get("walSpool");
    deleteTree(spool != null ? Path.of(spool) : defaultSpool());
  }

  /** Where a point-in-time restore puts the WAL it replays: beside the data directory. */
  Path defaultSpool() {
    return dir.resolveSibling(dir.getFileName() + ".lifeboat-wal");
  }

  void stop() throws IOException {
    run(
        asRunAs(
            List.of(pgCtl(Map.of()).toString(), "-D", dir.toString(), "-m", "fast", "-w", "stop")),
        null);
  }

  /** A plan's check query on the restored cluster, as {@code login}: see {@link CheckQuery}. */
  String queryValue(String sql, CheckLogin login) throws IOException {
    Properties p = new Properties();
    p.setProperty("user", login.user());
    if (login.password() != null) {
      p.setProperty("password", login.password());
    }
    p.setProperty("connectTimeout", "5");
    p.setProperty("ApplicationName", "lifeboat");
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + port() + "/" + options.getOrDefault("db", "postgres"),
            p)) {
      return CheckQuery.firstValue(c, login.user(), sql, PgCheckDialect.INSTANCE);
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * Lifeboat's own (superuser) connections to the restored server: the options override what the
   * backup may have set per role or database (a library to preload, a search path that shadows the
   * catalog's functions), because settings a connection asks for win over those.
   */
  static final String SAFE_SESSION =
      "-c search_path=pg_catalog -c session_preload_libraries= -c local_preload_libraries="
          + " -c jit=off";

  private Connection connect(String db) throws SQLException, IOException {
    Properties p = new Properties();
    p.setProperty("user", options.getOrDefault("user", "postgres"));
    p.setProperty("connectTimeout", "5");
    p.setProperty("ApplicationName", "lifeboat");
    p.setProperty("options", SAFE_SESSION);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + db, p);
  }

  /** The port: the option, or the one the running server wrote into postmaster.pid. */
  int port() throws IOException {
    if (options.containsKey("port")) {
      return Integer.parseInt(options.get("port"));
    }
    Path pid = dir.resolve("postmaster.pid");
    if (Files.isRegularFile(pid)) {
      List<String> lines = Files.readAllLines(pid);
      if (lines.size() > 3) {
        return Integer.parseInt(lines.get(3).strip());
      }
    }
    throw new IOException("pgbase: no server is running in " + dir);
  }

  /** Whether a postmaster runs in the directory (pg_ctl status). */
  boolean running() throws IOException {
    if (!Files.isRegularFile(dir.resolve("postmaster.pid"))) {
      return false;
    }
    return run(asRunAs(List.of(pgCtl(Map.of()).toString(), "-D", dir.toString(), "status")), null)
            .exit()
        == 0;
  }

  private boolean logContains(String text) throws IOException {
    Path log = dir.resolve(RECOVERY_LOG);
    return Files.isRegularFile(log) && Files.readString(log).contains(text);
  }

  private String logTail() throws IOException {
    Path log = dir.resolve(RECOVERY_LOG);
    if (!Files.isRegularFile(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n  ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
  }

  private static Path pgCtl(Map<String, String> metadata) throws IOException {
    String major = metadata.get(PgBaseProvider.META_PG_MAJOR);
    if (major != null) {
      Path p = Path.of("/usr/lib/postgresql", major, "bin", "pg_ctl");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return PostgresProvider.tool("pg_ctl").path();
  }

  private List<String> asRunAs(List<String> cmd) {
    String u = runAs();
    if (u == null) {
      return cmd;
    }
    List<String> all =
        new ArrayList<>(List.of("setpriv", "--reuid=" + u, "--regid=" + u, "--init-groups"));
    all.addAll(cmd);
    return all;
  }

  private void chown(Path p) throws IOException {
    String u = runAs();
    if (u != null) {
      runChecked(List.of("chown", "-h", u + ":" + u, p.toString()), null, "chown");
    }
  }

  private void chownTree(Path p) throws IOException {
    String u = runAs();
    if (u != null) {
      runChecked(List.of("chown", "-R", u + ":" + u, p.toString()), null, "chown");
    }
  }

  record Proc(int exit, String output) {}

  private static Proc run(List<String> cmd, @Nullable InputStream stdin) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path out = Files.createTempFile("lifeboat-pg", ".out");
    pb.redirectOutput(out.toFile());
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p = pb.start();
    try {
      if (stdin != null) {
        feed(stdin, p.getOutputStream());
      }
      int code = p.waitFor();
      return new Proc(code, Files.readString(out));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(cmd.get(0) + " interrupted", e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * Copies the stream to the tool. A tool that stops reading early (tar at its end-of-archive
   * blocks) is not an error here: its exit code says whether it worked, and the caller checks the
   * rest of the stream. A failure to read the stream (a damaged chunk) is.
   */
  private static void feed(InputStream in, OutputStream to) throws IOException {
    byte[] buf = new byte[1 << 16];
    try (to) {
      int n;
      while ((n = in.read(buf)) > 0) {
        try {
          to.write(buf, 0, n);
        } catch (IOException toolStoppedReading) {
          return;
        }
      }
    } catch (IOException closing) {
      if (closing.getMessage() == null || !closing.getMessage().contains("Broken pipe")) {
        throw closing;
      }
    }
  }

  private static void runChecked(List<String> cmd, @Nullable InputStream stdin, String what)
      throws IOException {
    Proc p = run(cmd, stdin);
    if (p.exit() != 0) {
      throw new IOException(
          "pgbase: " + what + " failed (exit " + p.exit() + "): " + p.output().strip());
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
