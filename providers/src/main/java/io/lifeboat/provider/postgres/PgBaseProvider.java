package io.lifeboat.provider.postgres;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.CheckLogin;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.provider.HealthReport;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.wal.WalArchive;
import io.lifeboat.core.wal.WalFileName;
import io.lifeboat.provider.sql.DbUri;
import io.lifeboat.provider.sql.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pgbase://postgres@db1:5432/?walSource=shop-pg}: a physical base backup of a whole
 * PostgreSQL cluster, taken with {@code pg_basebackup -Ft -X fetch} (the tar stream, with the WAL
 * that makes it consistent). With the cluster's WAL archived under {@code walSource} ({@code
 * archive_command = 'lifeboat wal push --source shop-pg %p'}), it restores to any point in time
 * after it ended: see {@link PgDataDirectory} for the restore side.
 */
public final class PgBaseProvider implements ComponentProvider {

  static final String META_TIMELINE = "timeline";
  static final String META_START_LSN = "startLsn";
  static final String META_STOP_LSN = "stopLsn";
  static final String META_STOP_SEGMENT = "stopSegment";
  static final String META_STOP_TIME = "stopTime";
  static final String META_PG_MAJOR = "pgMajor";

  private static final Pattern START =
      Pattern.compile("write-ahead log start point: ([0-9A-F]+/[0-9A-F]+) on timeline (\\d+)");
  private static final Pattern END =
      Pattern.compile("write-ahead log end point: ([0-9A-F]+/[0-9A-F]+)");

  @Override
  public String kind() {
    return "pgbase";
  }

  @Override
  public boolean restoresToFolder() {
    return true;
  }

  /** The user the restored server runs as owns its folder's parent (as PostgreSQL's own do). */
  @Override
  public java.util.Set<String> trustedOwners(RestoreTarget target) {
    String runAs = PgDataDirectory.of(target).serverUser();
    return runAs == null ? java.util.Set.of() : java.util.Set.of(runAs);
  }

  /**
   * The options a restore may be given: the port the restored server listens on, the operating
   * system user it runs as (postgres only), the user and database its checks connect with. The WAL
   * spool and the recovery target time are the restore's own.
   */
  @Override
  public Map<String, java.util.regex.Pattern> targetOptions() {
    return Map.of(
        "port",
            java.util.regex.Pattern.compile(
                "[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]"),
        // the server's own user only: Lifeboat trusts the folders runAs owns, and runs tar as it
        "runAs", java.util.regex.Pattern.compile("postgres"),
        "user", java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}"),
        "db", java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}"));
  }

  @Override
  public ComponentSource parse(String spec) throws InvalidSourceException {
    Spec s = Spec.parse(spec);
    return new ComponentSource(kind(), spec, s.uri().display() + "?walSource=" + s.walSource());
  }

  /** A pgbase spec: the server and the WAL source its archive is kept under. */
  record Spec(DbUri uri, String walSource) {
    static Spec parse(String spec) throws InvalidSourceException {
      if (!spec.startsWith("pgbase://")) {
        throw new InvalidSourceException(
            "not a pgbase spec (pgbase://user@host:port/?walSource=ID)");
      }
      int q = spec.indexOf('?');
      String walSource = null;
      List<String> rest = new ArrayList<>();
      if (q > 0) {
        for (String kv : spec.substring(q + 1).split("&")) {
          if (kv.startsWith("walSource=")) {
            walSource = kv.substring("walSource=".length());
          } else if (!kv.isEmpty()) {
            rest.add(kv);
          }
        }
      }
      if (walSource == null) {
        throw new InvalidSourceException(
            "pgbase needs ?walSource=ID: the id its archive_command pushes WAL under");
      }
      try {
        WalArchive.checkSource(walSource);
      } catch (IllegalArgumentException e) {
        throw new InvalidSourceException(String.valueOf(e.getMessage()));
      }
      String base = (q > 0 ? spec.substring(0, q) : spec).replaceFirst("^pgbase:", "postgres:");
      DbUri uri =
          DbUri.parse(
              rest.isEmpty() ? base : base + "?" + String.join("&", rest),
              Set.of("postgres"),
              5432,
              "postgres",
              "PGPASSWORD");
      return new Spec(uri.withDatabase("postgres"), walSource);
    }
  }

  @Override
  public List<String> check(ComponentSource source) {
    try {
      Spec s = Spec.parse(source.location());
      try (Connection c = PostgresProvider.connect(s.uri())) {
        // reachable; archive_mode may be off: the base backup carries the WAL that makes it
        // consistent, so it restores as of its end even without an archive
      }
      PostgresProvider.tool("pg_basebackup");
      return List.of();
    } catch (InvalidSourceException | IOException e) {
      return List.of("pgbase: " + e.getMessage());
    } catch (SQLException e) {
      return List.of("pgbase: cannot connect to " + source.display() + ": " + e.getMessage());
    }
  }

  @Override
  public DumpResult dump(ComponentSource source, OutputStream out) throws IOException {
    Spec s;
    try {
      s = Spec.parse(source.location());
    } catch (InvalidSourceException e) {
      throw new IOException(e.getMessage(), e);
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(WalArchive.META_SOURCE, s.walSource());
    try (Connection c = PostgresProvider.connect(s.uri());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT system_identifier FROM pg_control_system()),"
                    + " current_setting('wal_segment_size'), current_setting('server_version_num'),"
                    + " current_setting('server_version'), current_setting('archive_mode')")) {
      rs.next();
      meta.put(WalArchive.META_SYSTEM_ID, Long.toUnsignedString(rs.getLong(1)));
      meta.put(WalArchive.META_SEGMENT_SIZE, Long.toString(segmentSize(rs.getString(2))));
      meta.put(META_PG_MAJOR, Integer.toString(Integer.parseInt(rs.getString(3)) / 10000));
      meta.put("serverVersion", rs.getString(4));
      meta.put("archiveMode", rs.getString(5));
    } catch (SQLException e) {
      throw new IOException(
          "pgbase: cannot connect to " + s.uri().display() + ": " + e.getMessage());
    }
    ExternalTool basebackup = PostgresProvider.tool("pg_basebackup");
    Map<String, String> env = new HashMap<>();
    if (s.uri().password() != null) {
      env.put("PGPASSWORD", s.uri().password());
    }
    String log =
        basebackup.run(
            List.of(
                "-h",
                s.uri().host(),
                "-p",
                Integer.toString(s.uri().port()),
                "-U",
                s.uri().user(),
                "-D",
                "-",
                "-Ft",
                "-X",
                "fetch",
                "--checkpoint=fast",
                "--label=lifeboat",
                "--no-password",
                "-v"),
            env,
            null,
            out);
    Matcher start = START.matcher(log);
    Matcher end = END.matcher(log);
    if (!start.find() || !end.find()) {
      throw new IOException("pgbase: pg_basebackup did not report its WAL start and end points");
    }
    long segmentSize = Long.parseLong(meta.get(WalArchive.META_SEGMENT_SIZE));
    long timeline = Long.parseLong(start.group(2));
    meta.put(META_TIMELINE, Long.toString(timeline));
    meta.put(META_START_LSN, start.group(1));
    meta.put(META_STOP_LSN, end.group(1));
    meta.put(META_STOP_SEGMENT, WalFileName.segmentOf(timeline, end.group(1), segmentSize));
    meta.put(META_STOP_TIME, Instant.now().toString());
    return new DumpResult(meta, List.of());
  }

  /** wal_segment_size as PostgreSQL shows it ("16MB"), in bytes. */
  static long segmentSize(String shown) {
    String v = shown.strip().toUpperCase(java.util.Locale.ROOT);
    long unit = 1;
    if (v.endsWith("MB")) {
      unit = 1024L * 1024;
      v = v.substring(0, v.length() - 2);
    } else if (v.endsWith("GB")) {
      unit = 1024L * 1024 * 1024;
      v = v.substring(0, v.length() - 2);
    } else if (v.endsWith("KB")) {
      unit = 1024;
      v = v.substring(0, v.length() - 2);
    }
    return Long.parseLong(v.strip()) * unit;
  }

  @Override
  public List<String> checkTarget(RestoreTarget target) {
    List<String> problems = new ArrayList<>(PgDataDirectory.of(target).problems());
    try {
      if (target.occupied() != RestoreTarget.Occupied.REPLACE && occupied(target)) {
        problems.add(
            "pgbase: "
                + PgDataDirectory.of(target).dir()
                + " is not empty (replace moves it aside first)");
      }
    } catch (IOException e) {
      problems.add("pgbase: " + e.getMessage());
    }
    return problems;
  }

  @Override
  public boolean occupied(RestoreTarget target) throws IOException {
    return PgDataDirectory.of(target).occupied();
  }

  @Override
  public Aside moveAside(RestoreTarget target) throws IOException {
    return new Aside(
        kind(), target.spec(), PgDataDirectory.of(target).moveAside().toString(), Instant.now());
  }

  @Override
  public void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    PgDataDirectory.of(target).restore(stream, metadata);
  }

  @Override
  public HealthReport healthCheck(RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    return PgDataDirectory.of(target).healthCheck(metadata);
  }

  @Override
  public void rollBack(RestoreTarget target, Optional<Aside> aside) throws IOException {
    PgDataDirectory.of(target).rollBack(aside.map(a -> Path.of(a.location())));
  }

  @Override
  public void dropAside(Aside aside) throws IOException {
    PgDataDirectory.deleteTree(Path.of(aside.location()));
  }

  /**
   * A test restores beside the real data directory (the same file system and owner, so the server's
   * user can reach it), on a free port.
   */
  @Override
  public Optional<String> scratchTarget(String targetSpec, String suffix) {
    PgDataDirectory real = PgDataDirectory.of(new RestoreTarget(targetSpec));
    Path dir = real.dir();
    String runAs = real.option("runAs");
    return Optional.of(
        dir.resolveSibling(dir.getFileName() + ".lifeboat-test-" + suffix)
            + (runAs == null ? "" : "?runAs=" + runAs));
  }

  @Override
  public String queryValue(RestoreTarget target, String sql, CheckLogin login) throws IOException {
    return PgDataDirectory.of(target).queryValue(sql, login);
  }
}
