package io.lifeboat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 cluster of its own for one test: initdb in a scratch folder under /tmp, run as
 * the OS user postgres (PostgreSQL refuses root), on its own port, with WAL archiving through
 * {@code lifeboat wal push} in a separate JVM. The cluster CI starts on 5432 is not touched.
 */
final class PgCluster implements AutoCloseable {

  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  final Path root;
  final Path data;
  final int port;

  private PgCluster(Path root, int port) {
    this.root = root;
    this.data = root.resolve("data");
    this.port = port;
  }

  static boolean available() {
    return Files.isExecutable(BIN.resolve("initdb"))
        && Files.isExecutable(Path.of("/usr/bin/setpriv"))
        && "root".equals(System.getProperty("user.name"));
  }

  /**
   * @param archiveCommand PostgreSQL's archive_command
   * @param archiveTimeout seconds after which a segment with any WAL in it is switched and archived
   */
  static PgCluster start(Path root, int port, String archiveCommand, int archiveTimeout)
      throws IOException, InterruptedException {
    PgCluster c = new PgCluster(root, port);
    Files.createDirectories(root);
    run(List.of("chown", "-R", "postgres:postgres", root.toString()));
    asPostgres(
        List.of(
            BIN.resolve("initdb").toString(),
            "-D",
            c.data.toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync"));
    Files.writeString(
        c.data.resolve("postgresql.auto.conf"),
        String.join(
            "\n",
            "port = " + port,
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "wal_level = replica",
            "archive_mode = on",
            "archive_command = '" + archiveCommand + "'",
            "archive_timeout = " + archiveTimeout,
            "fsync = off",
            ""),
        java.nio.file.StandardOpenOption.APPEND);
    asPostgres(
        List.of(
            BIN.resolve("pg_ctl").toString(),
            "-D",
            c.data.toString(),
            "-l",
            root.resolve("server.log").toString(),
            "-w",
            "start"));
    // the role recovery plans' SQL checks connect as: in the cluster, so in its base backups too
    try (Connection conn = c.connect();
        java.sql.Statement s = conn.createStatement()) {
      for (String sql : io.lifeboat.testkit.SqlFixtures.postgresCheckRole()) {
        s.execute(sql);
      }
    } catch (Exception e) {
      throw new IOException("cannot make the check role: " + e.getMessage(), e);
    }
    return c;
  }

  Connection connect() throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
  }

  String spec(String walSource) {
    return "pgbase://postgres@127.0.0.1:" + port + "/?walSource=" + walSource;
  }

  static void stop(Path data) {
    if (Files.isRegularFile(data.resolve("postmaster.pid"))) {
      try {
        asPostgres(
            List.of(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-m",
                "immediate",
                "stop"));
      } catch (IOException | InterruptedException e) {
        // best effort
      }
    }
  }

  @Override
  public void close() {
    stop(data);
  }

  static void asPostgres(List<String> cmd) throws IOException, InterruptedException {
    List<String> all =
        new ArrayList<>(
            List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
    all.addAll(cmd);
    run(all);
  }

  static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  /**
   * This JVM's class path with every entry the user postgres cannot read (the local Maven
   * repository under /root is private) hard-linked into a world-readable folder, so that the
   * archive_command's JVM, which runs as postgres, can load the same classes.
   */
  static String stagedClassPath(Path folder) throws IOException {
    Files.createDirectories(folder);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    String home = System.getProperty("user.home");
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (e.isEmpty()) {
        continue;
      }
      Path p = Path.of(e);
      if (!e.startsWith(home) || !Files.isRegularFile(p)) {
        entries.add(e);
        continue;
      }
      Path link = folder.resolve((i++) + "-" + p.getFileName());
      try {
        Files.createLink(link, p);
      } catch (IOException | UnsupportedOperationException notSameFileSystem) {
        Files.copy(p, link);
      }
      Files.setPosixFilePermissions(link, PosixFilePermissions.fromString("rw-r--r--"));
      entries.add(link.toString());
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  /**
   * Writes {@code root/archive.sh}, an archive_command running {@code lifeboat wal push --source
   * SOURCE} in a JVM of its own (as the user postgres, on a staged class path), except for files
   * named by a flag file {@code root/flags/skip-FILE}: those it reports archived without archiving
   * them (how a test makes a gap).
   *
   * @return the script's path
   */
  static String archiveScript(Path root, String source, String bootstrap)
      throws IOException, InterruptedException {
    String classPath = stagedClassPath(root.resolve("classpath"));
    Path pushHome = Files.createDirectories(root.resolve("push-home"));
    Path flags = Files.createDirectories(root.resolve("flags"));
    run(List.of("chown", "postgres:postgres", pushHome.toString()));
    String java = ProcessHandle.current().info().command().orElse("java");
    Path script = root.resolve("archive.sh");
    Files.writeString(
        script,
        String.join(
            "\n",
            "#!/bin/sh",
            "# the test's archive_command: lifeboat wal push, except for files it is told to skip",
            "f=$(basename \"$1\")",
            "if [ -e '"
                + flags
                + "'/skip-\"$f\" ]; then echo \"test: not archiving $f\" >&2; exit 0; fi",
            "exec '"
                + java
                + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '"
                + classPath
                + "' io.lifeboat.cli.Lifeboat wal push --home '"
                + pushHome
                + "' --bootstrap "
                + bootstrap
                + " --source "
                + source
                + " \"$1\"",
            ""));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script.toString();
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
