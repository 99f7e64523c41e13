package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testkit.Eventually;
import io.lifeboat.testkit.SqlFixtures;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Issue 29's attacks on the restore side, each exactly as the review ran it against a running
 * Lifeboat in roles mode with nothing more than an operator token, and each refused: with a clear
 * reason, nothing written, nothing sent, and an audit event. (The same policy in single mode:
 * {@code LifeboatClientIT.restores_areHeldToTheExecutorsTargetPolicy_inSingleModeToo}.)
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class RestoreGuardIT {

  static final String RUN = "rg" + UUID.randomUUID().toString().substring(0, 8);
  static final Duration WAIT = Duration.ofSeconds(90);
  static RunningLifeboat lifeboat;
  static ApiSession session;
  static Path scratch;
  static String operator;
  static String admin;
  static String mallory;
  static String evilBackup;
  static String dbBackup;
  static String dbComponent;

  @BeforeAll
  static void start() throws Exception {
    scratch = Files.createTempDirectory("restoreguard-" + RUN);
    lifeboat =
        RunningLifeboat.start(
            RUN,
            Map.of(
                "lifeboat.auth.mode",
                "roles",
                "lifeboat.auth.production.targets",
                scratch + "/prod*"));
    session = new ApiSession(lifeboat, scratch);
    session.reader = session.token("vera-" + RUN, "viewer");
    operator = session.token("otto-" + RUN, "operator");
    admin = session.token("ada-" + RUN, "admin");

    // a folder holding a tokens file with an admin token its owner knows, as the review planted it
    Path otherHome = Files.createDirectories(scratch.resolve("other-home"));
    Cli.Result t =
        Cli.run(
            "token",
            "add",
            "mallory",
            "--role",
            "admin",
            "--out",
            scratch.resolve("mallory.token").toString(),
            "--home",
            otherHome.toString());
    assertThat(t.exit()).as(t.out() + t.err()).isZero();
    mallory = Files.readString(scratch.resolve("mallory.token")).strip();
    Path evil = Files.createDirectories(scratch.resolve("evil"));
    Files.copy(otherHome.resolve("api-tokens"), evil.resolve("api-tokens"));
    Files.writeString(evil.resolve("authorized_keys"), "ssh-ed25519 AAAA mallory\n");
    Files.setPosixFilePermissions(evil, PosixFilePermissions.fromString("rwxr-xr-x"));
    evilBackup = backup("files:" + evil);

    DbTools.execute(DbTools.pg("postgres"), SqlFixtures.postgresCheckRole());
    DbTools.execute(DbTools.pg("postgres"), List.of("CREATE DATABASE " + RUN + "_src"));
    DbTools.execute(
        DbTools.pg(RUN + "_src"),
        List.of(
            "CREATE TABLE orders (id int PRIMARY KEY, note text)",
            "INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 20) g"));
    dbBackup = backup("postgres://postgres@" + DbTools.PG + "/" + RUN + "_src");
    dbComponent =
        ApiSession.JSON
            .readTree(call("GET", "/api/backups/" + dbBackup, null, admin).body())
            .path("components")
            .get(0)
            .path("name")
            .asString();
  }

  @AfterAll
  static void stop() throws Exception {
    if (lifeboat != null) {
      lifeboat.close();
    }
    for (String db : List.of("_src", "_copy")) {
      DbTools.execute(
          DbTools.pg("postgres"), List.of("DROP DATABASE IF EXISTS " + RUN + db + " WITH (FORCE)"));
    }
  }

  /** Row 1: the home, its keys and credentials, the repository, /etc, /root/.ssh. */
  @Test
  void row1_restoresIntoTheHomeKeysCredentialsOrSystemFolders_areRefused_andNothingIsWritten()
      throws Exception {
    Path home = lifeboat.home;
    byte[] tokensBefore = Files.readAllBytes(home.resolve("api-tokens"));
    String modeBefore = mode(home);
    List<String> listingBefore = listing(home);
    Map<String, String> attempts = new LinkedHashMap<>();
    attempts.put(home.toString(), "merge");
    attempts.put(home + "/", "replace");
    attempts.put(lifeboat.keyFile.toString(), "replace");
    attempts.put(home.resolve("kafka-credentials").toString(), "merge");
    attempts.put(lifeboat.repoDir.toString(), "replace");
    attempts.put("/etc", "merge");
    attempts.put("/root/.ssh", "merge");
    Map<String, String> executions = new LinkedHashMap<>();
    attempts.forEach(
        (to, ifExists) -> executions.put(to, restore(evilBackup, to, ifExists, operator)));

    for (Map.Entry<String, String> e : executions.entrySet()) {
      JsonNode x = awaitEnd(e.getValue());
      assertThat(x.path("status").asString()).as(e.getKey()).isEqualTo("INVALID");
      assertThat(x.path("problems").toString())
          .as(e.getKey())
          .contains("is refused")
          .containsAnyOf("lies inside", "lies outside", "contains");
    }
    assertThat(Files.readAllBytes(home.resolve("api-tokens"))).isEqualTo(tokensBefore);
    assertThat(mode(home)).isEqualTo(modeBefore);
    assertThat(listing(home)).isEqualTo(listingBefore);
    assertThat(Path.of("/etc/api-tokens")).doesNotExist();
    assertThat(Path.of("/root/.ssh/api-tokens")).doesNotExist();
    // the planted admin token is worth nothing, the real ones still work
    assertThat(call("GET", "/api/backups", null, mallory).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/api/backups", null, operator).statusCode()).isEqualTo(200);

    JsonNode audit =
        session.awaitAudit(
            "?target=" + executions.get(home.toString()) + "&action=restore.target",
            e -> e.path("actor").asString().equals("otto-" + RUN));
    assertThat(audit.path("outcome").asString()).isEqualTo("REFUSED");
    assertThat(audit.path("service").asString()).isEqualTo("recovery-executor");
    assertThat(audit.path("reason").asString()).contains("lies inside " + realPath(home));

    // the command line's own restore: the same rule, exit 5, nothing written
    Cli.Result cli =
        Cli.run(lifeboat.cli("restore", evilBackup, "--to", home.toString(), "--force"));
    assertThat(cli.exit()).as(cli.out() + cli.err()).isEqualTo(5);
    assertThat(cli.err()).contains("refused").contains("lies inside");
    assertThat(Files.readAllBytes(home.resolve("api-tokens"))).isEqualTo(tokensBefore);
  }

  /** Row 2: a database restore that would send a password file's content to a server. */
  @Test
  void row2_databaseTargetsOnAnotherHost_orReadingAPasswordFileElsewhere_areRefused_nothingSent()
      throws Exception {
    try (FakeServer fake = new FakeServer()) {
      String key = lifeboat.keyFile.toString();
      String otherHost =
          restore(
              dbBackup,
              "postgres://postgres@localhost:" + fake.port() + "/x?passwordFile=" + key,
              "replace",
              operator);
      String sameHost =
          restore(
              dbBackup,
              "postgres://postgres@127.0.0.1:" + fake.port() + "/x?passwordFile=" + key,
              "replace",
              operator);
      // even a password file from the passwords folder goes only to the server backed up from
      Path passwords = Files.createDirectories(lifeboat.home.resolve("passwords"));
      Files.writeString(passwords.resolve("pg"), "not for a stranger\n");
      String otherPort =
          restore(
              dbBackup,
              "postgres://postgres@127.0.0.1:"
                  + fake.port()
                  + "/x?passwordFile="
                  + passwords.resolve("pg"),
              "replace",
              operator);

      JsonNode a = awaitEnd(otherHost);
      assertThat(a.path("status").asString()).isEqualTo("INVALID");
      assertThat(a.path("problems").toString())
          .contains("server localhost:" + fake.port() + " is not one restores may connect to")
          .contains("password files are read only from");
      JsonNode b = awaitEnd(sameHost);
      assertThat(b.path("status").asString()).isEqualTo("INVALID");
      assertThat(b.path("problems").toString())
          .contains("password files are read only from")
          .contains("server 127.0.0.1:" + fake.port() + " is not one");
      JsonNode c = awaitEnd(otherPort);
      assertThat(c.path("status").asString()).isEqualTo("INVALID");
      assertThat(c.path("problems").toString())
          .contains("server 127.0.0.1:" + fake.port() + " is not one")
          .contains("the one the backup came from (127.0.0.1:" + DbTools.PG.split(":")[1] + ")")
          .doesNotContain("password files");
      assertThat(fake.connections()).as("connections the fake server received").isZero();
      session.awaitAudit(
          "?target=" + otherHost + "&action=restore.target&outcome=REFUSED",
          e -> e.path("reason").asString().contains("localhost"));
    }
  }

  /** Row 3: a plan's SQL checks as a way to run programs or read the server's files. */
  @Test
  void row3_sqlChecksCannotRunProgramsOrReadFiles_andPlansWithChecksAreAnAdminsToDefine()
      throws Exception {
    Path marker = Path.of("/tmp/lifeboat-" + RUN + "-ran");
    String hostname = Files.readString(Path.of("/etc/hostname")).strip();
    String program =
        checkPlan(
            "program",
            "DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch " + marker + "'''; END $$",
            "1");
    String file = checkPlan("file", "select pg_read_file('/etc/hostname')", "x");
    HttpResponse<String> byOperator = call("POST", "/api/plans", program, operator);
    assertThat(byOperator.statusCode()).as(byOperator.body()).isEqualTo(403);
    assertThat(byOperator.body()).contains("has checks").contains("admin");
    session.awaitAudit(
        "?action=plan.define&outcome=REFUSED",
        e -> e.path("actor").asString().equals("otto-" + RUN));
    List<String> executions = new ArrayList<>();
    for (String plan : List.of(program, file)) {
      String name = define(plan);
      HttpResponse<String> test =
          call("POST", "/api/plans/" + name + "/executions?mode=TEST", null, operator);
      assertThat(test.statusCode()).as(test.body()).isEqualTo(202);
      executions.add(ApiSession.JSON.readTree(test.body()).path("executionId").asString());
    }

    for (String id : executions) {
      JsonNode x = awaitEnd(id);
      assertThat(x.path("status").asString()).as(x.toString()).isEqualTo("FAILED");
      JsonNode check = null;
      for (JsonNode step : x.path("steps")) {
        if (step.path("kind").asString().equals("check")) {
          check = step;
        }
      }
      assertThat(check).isNotNull();
      assertThat(check.path("status").asString()).isEqualTo("FAILED");
      assertThat(check.path("message").asString())
          .contains("lifeboat_check")
          .containsAnyOf("permission denied", "must be superuser", "syntax error");
      if (!hostname.isEmpty()) {
        assertThat(x.toString()).doesNotContain(hostname);
      }
    }
    assertThat(marker).doesNotExist();
  }

  /** A plan restoring the database backup into a copy, with one SQL check. */
  static String checkPlan(String check, String sql, String expect) {
    return """
        {"name": "%s-%s",
         "components": [{"name": "%s", "target": "postgres://postgres@%s/%s_copy"}],
         "checks": [{"name": "%s", "component": "%s", "sql": "%s", "expect": "%s"}]}
        """
        .formatted(check, RUN, dbComponent, DbTools.PG, RUN, check, dbComponent, sql, expect);
  }

  /** Row 4: the production rule on the path as typed. */
  @Test
  void row4_productionIsDecidedOnTheResolvedPath() throws Exception {
    for (String spelled :
        List.of(scratch + "/x/../prod2", scratch + "//prod3", scratch + "/./prod4")) {
      HttpResponse<String> r =
          call("POST", "/api/backups/" + evilBackup + "/restore", to(spelled, "merge"), operator);
      assertThat(r.statusCode()).as(spelled + ": " + r.body()).isEqualTo(403);
      assertThat(r.body()).contains("production");
      session.awaitAudit(
          "?target=" + evilBackup + "&action=backup.restore&outcome=REFUSED",
          e -> e.path("actor").asString().equals("otto-" + RUN));
    }
    HttpResponse<String> relative =
        call("POST", "/api/backups/" + evilBackup + "/restore", to("prod5", "merge"), operator);
    assertThat(relative.statusCode()).as(relative.body()).isEqualTo(400);
    assertThat(relative.body()).contains("relative path");

    Path prod6 = Files.createDirectories(scratch.resolve("prod6"));
    Path link = Files.createSymbolicLink(scratch.resolve("link6"), prod6);
    String viaLink = restore(evilBackup, link.toString(), "merge", operator);
    JsonNode x = awaitEnd(viaLink);
    assertThat(x.path("status").asString()).isEqualTo("INVALID");
    assertThat(x.path("problems").toString())
        .contains("resolves to " + realPath(prod6))
        .contains("a production target, without naming it");
    session.awaitAudit(
        "?target=" + viaLink + "&action=restore.target&outcome=REFUSED",
        e -> e.path("actor").asString().equals("otto-" + RUN));
    try (Stream<Path> s = Files.list(prod6)) {
      assertThat(s).isEmpty();
    }
    for (String n : List.of("prod2", "prod3", "prod4", "prod5")) {
      assertThat(scratch.resolve(n)).doesNotExist();
    }
  }

  /** Row 6: a merge must not re-permission the folder it writes into. */
  @Test
  void row6_aMergeKeepsTheTargetFoldersModeAndOwner() throws Exception {
    Path keep = Files.createDirectories(scratch.resolve("keep"));
    Files.setPosixFilePermissions(keep, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(keep.resolve("mine.txt"), "mine\n");

    JsonNode x = awaitEnd(restore(evilBackup, keep.toString(), "merge", operator));

    assertThat(x.path("status").asString()).as(x.toString()).isEqualTo("SUCCEEDED");
    assertThat(keep.resolve("authorized_keys")).exists();
    assertThat(keep.resolve("mine.txt")).hasContent("mine\n");
    assertThat(mode(keep)).isEqualTo("rwx------");
  }

  /** Row 8: relative targets, HTTP checks to any host, secrets in check URLs. */
  @Test
  void row8_relativeTargets_checksToOtherHosts_andSecretsInCheckUrls_areRefused() throws Exception {
    HttpResponse<String> relative =
        call("POST", "/api/backups/" + evilBackup + "/restore", to("restored", "merge"), operator);
    assertThat(relative.statusCode()).isEqualTo(400);
    assertThat(relative.body()).contains("relative path");

    String secret =
        """
        {"name": "secret-%s", "components": [{"name": "files", "target": "%s/h"}],
         "checks": [{"name": "up", "http": "http://ops:hunter2@127.0.0.1:9/health"}]}
        """
            .formatted(RUN, scratch);
    HttpResponse<String> refused = call("POST", "/api/plans", secret, admin);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("carries a password");

    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger hits = new AtomicInteger();
    server.createContext(
        "/",
        h -> {
          hits.incrementAndGet();
          h.sendResponseHeaders(200, -1);
          h.close();
        });
    server.start();
    try {
      String component =
          ApiSession.JSON
              .readTree(call("GET", "/api/backups/" + evilBackup, null, admin).body())
              .path("components")
              .get(0)
              .path("name")
              .asString();
      String ssrf =
          """
          {"name": "ssrf-%s", "components": [{"name": "%s", "target": "%s/h"}],
           "checks": [{"name": "probe", "http": "http://127.0.0.1:%d/latest/meta-data"}]}
          """
              .formatted(RUN, component, scratch, server.getAddress().getPort());
      define(ssrf);
      HttpResponse<String> run =
          call("POST", "/api/plans/ssrf-" + RUN + "/executions?mode=EXECUTE", null, operator);
      assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
      JsonNode x = awaitEnd(ApiSession.JSON.readTree(run.body()).path("executionId").asString());
      assertThat(x.path("status").asString()).isEqualTo("INVALID");
      assertThat(x.path("problems").toString())
          .contains("host 127.0.0.1 is not one HTTP checks may reach");
      assertThat(hits).hasValue(0);
      assertThat(scratch.resolve("h")).doesNotExist();
    } finally {
      server.stop(0);
    }
  }

  static String backup(String source) throws Exception {
    Cli.Result b = Cli.run(lifeboat.cli("backup", source, "--wait", "--json"));
    assertThat(b.exit()).as(b.out() + b.err()).isZero();
    String id = ApiSession.JSON.readTree(b.out()).get("backupId").asString();
    session.awaitBackup(id, admin);
    return id;
  }

  /** Defines a plan as the admin and waits until the coordinator holds it; its name. */
  static String define(String plan) throws Exception {
    HttpResponse<String> r = call("POST", "/api/plans", plan, admin);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String name = ApiSession.JSON.readTree(plan).path("name").asString();
    Eventually.until(
        "the coordinator to hold plan " + name,
        () -> call("GET", "/api/plans/" + name, null, admin).statusCode() == 200);
    return name;
  }

  static String to(String target, String ifExists) {
    return "{\"to\":\"" + target + "\",\"ifExists\":\"" + ifExists + "\"}";
  }

  /** Asks the API to restore the backup; the execution id it answers. */
  static String restore(String backupId, String target, String ifExists, String token) {
    try {
      HttpResponse<String> r =
          call("POST", "/api/backups/" + backupId + "/restore", to(target, ifExists), token);
      assertThat(r.statusCode()).as(target + ": " + r.body()).isEqualTo(202);
      return ApiSession.JSON.readTree(r.body()).path("executionId").asString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The execution as the catalog shows it once it has ended. */
  static JsonNode awaitEnd(String executionId) {
    return Eventually.await(
        "execution " + executionId + " to end",
        WAIT,
        () -> {
          HttpResponse<String> r = call("GET", "/api/recoveries/" + executionId, null, admin);
          return r.statusCode() == 200 ? ApiSession.JSON.readTree(r.body()) : null;
        },
        x ->
            x != null
                && List.of("SUCCEEDED", "FAILED", "INVALID", "ROLLED_BACK")
                    .contains(x.path("status").asString()));
  }

  static HttpResponse<String> call(String method, String path, String body, String token)
      throws Exception {
    return session.call(method, path, body, token);
  }

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  static List<String> listing(Path p) throws Exception {
    try (Stream<Path> s = Files.walk(p, 1)) {
      return s.map(Path::toString).sorted().toList();
    }
  }

  static Path realPath(Path p) throws Exception {
    return p.toRealPath();
  }

  /** A server that counts who connects and never answers: where a password would have gone. */
  static final class FakeServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> accepted = new ArrayList<>();
    private final Thread thread;

    FakeServer() throws Exception {
      thread =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    accepted.add(s);
                    InputStream in = s.getInputStream();
                    in.readNBytes(0);
                  } catch (Exception e) {
                    return;
                  }
                }
              },
              "fake-server");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
