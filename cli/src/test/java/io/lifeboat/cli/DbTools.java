package io.lifeboat.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The real database servers of this machine, for end-to-end tests: set up sources, compare targets.
 */
final class DbTools {

  static final String PG = "127.0.0.1:" + Integer.getInteger("lifeboat.test.postgres.port", 5432);
  static final String MY = "127.0.0.1:" + Integer.getInteger("lifeboat.test.mariadb.port", 3306);
  static final String REDIS = "127.0.0.1:" + Integer.getInteger("lifeboat.test.redis.port", 6379);

  private DbTools() {}

  static Connection pg(String db) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + PG + "/" + db, "postgres", "");
  }

  static Connection my(String db) throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://" + MY + "/" + db, "root", "");
  }

  static void execute(Connection c, List<String> statements) throws SQLException {
    try (c;
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** pg_dump --format=plain, without the per-run \restrict lines. */
  static String pgDump(String db) throws IOException, InterruptedException {
    String[] hp = PG.split(":");
    String out =
        run(
            "pg_dump",
            "--host=" + hp[0],
            "--port=" + hp[1],
            "--username=postgres",
            "--no-password",
            "--format=plain",
            db);
    return out.lines()
        .filter(l -> !l.startsWith("\\restrict ") && !l.startsWith("\\unrestrict "))
        .collect(Collectors.joining("\n"));
  }

  static String myDump(String db) throws IOException, InterruptedException {
    String[] hp = MY.split(":");
    return run(
        "mariadb-dump",
        "--host=" + hp[0],
        "--port=" + hp[1],
        "--user=root",
        "--protocol=TCP",
        "--routines",
        "--triggers",
        "--events",
        "--skip-dump-date",
        "--skip-comments",
        "--hex-blob",
        db);
  }

  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    if (p.waitFor() != 0) {
      throw new IOException(cmd[0] + " failed with exit " + p.exitValue());
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static String redisCli(String... args) throws IOException, InterruptedException {
    String[] hp = REDIS.split(":");
    String[] cmd = new String[args.length + 5];
    cmd[0] = "redis-cli";
    cmd[1] = "-h";
    cmd[2] = hp[0];
    cmd[3] = "-p";
    cmd[4] = hp[1];
    System.arraycopy(args, 0, cmd, 5, args.length);
    return run(cmd).strip();
  }
}
