package io.lifeboat.provider.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentProviderContractTest;
import io.lifeboat.provider.sql.DbUri;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import io.lifeboat.testkit.SqlFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider contract against the real MariaDB on this machine, in databases of its own. */
class MariaDbProviderIT extends ComponentProviderContractTest {

  static final String HOST = "127.0.0.1";
  static final int PORT = Integer.getInteger("lifeboat.test.mariadb.port", 3306);

  @TempDir Path aside;
  String run;
  int n;

  @BeforeAll
  static void mariadbIsThere() {
    RequiredServers.assume("mariadb", FreePorts.listening(HOST, PORT), "nothing listens on " + HOST + ":" + PORT);
  }

  @BeforeEach
  void newRun() {
    run = "lbtest_" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void dropDatabases() throws Exception {
    try (Connection c = MariaDbProvider.connect(uri("")); Statement s = c.createStatement()) {
      List<String> names = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '" + run + "%'")) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
      for (String name : names) {
        s.execute("DROP DATABASE IF EXISTS `" + name + "`");
      }
    }
  }

  static DbUri uri(String db) throws Exception {
    return MariaDbProvider.uri(spec(db));
  }

  static String spec(String db) {
    return "mysql://root@" + HOST + ":" + PORT + "/" + db;
  }

  void create(String db, List<String> statements) throws Exception {
    try (Connection c = MariaDbProvider.connect(uri("")); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4");
    }
    try (Connection c = MariaDbProvider.connect(uri(db)); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  @Override
  protected ComponentProvider provider() {
    return new MariaDbProvider(aside);
  }

  @Override
  protected String newSource() throws Exception {
    String db = run + "_src" + n++;
    create(db, SqlFixtures.mariadb(20_000));
    return spec(db);
  }

  @Override
  protected String newTarget() {
    return spec(run + "_tgt" + n++);
  }

  @Override
  protected String occupiedTarget() throws Exception {
    String db = run + "_occ" + n++;
    create(db, List.of("CREATE TABLE keep_me (id INT PRIMARY KEY, v TEXT)", "INSERT INTO keep_me VALUES (1, 'original')"));
    return spec(db);
  }

  @Override
  protected String missingSource() {
    return spec(run + "_does_not_exist");
  }

  /** Schema, data, routines, triggers and events as SQL: the same for source and target. */
  static String sqlDump(String spec) throws Exception {
    DbUri uri = MariaDbProvider.uri(spec);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MariaDbProvider.tool("mariadb-dump", "mysqldump").run(
        List.of("--host=" + uri.host(), "--port=" + uri.port(), "--user=" + uri.user(), "--protocol=TCP",
            "--routines", "--triggers", "--events", "--skip-dump-date", "--skip-comments", "--hex-blob", uri.database()),
        Map.of(), null, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  protected void assertSameContent(String sourceSpec, String targetSpec) throws Exception {
    String source = sqlDump(sourceSpec);
    assertThat(source).contains("CREATE TABLE `orders`").contains("INSERT INTO `orders`").contains("CREATE DEFINER")
        .contains("TRIGGER").contains("EVENT");
    assertThat(sqlDump(targetSpec)).isEqualTo(source);
  }

  @Override
  protected Object describe(String targetSpec) throws Exception {
    try {
      return sqlDump(targetSpec);
    } catch (java.io.IOException e) {
      return "absent: " + e.getMessage().contains("Unknown database");
    }
  }

  @Override
  protected void damage(String targetSpec) throws Exception {
    try (Connection c = MariaDbProvider.connect(MariaDbProvider.uri(targetSpec)); Statement s = c.createStatement()) {
      s.execute("DELETE FROM events WHERE id <= 10");
    }
  }

  @Test
  void dump_recordsVersionTablesAndRowCounts() throws Exception {
    String source = newSource();
    var r = provider().dump(provider().parse(source), java.io.OutputStream.nullOutputStream());
    assertThat(r.metadata())
        .containsEntry("tables", "3")
        .containsEntry("rows.orders", "20000")
        .containsEntry("rows", "27000")
        .containsKey("serverVersion")
        .containsKey("dumpVersion");
  }

  @Test
  void unreachableServer_wrongPassword_missingDatabase_areClearProblems() throws Exception {
    ComponentProvider p = provider();
    assertThat(p.check(p.parse("mysql://root@127.0.0.1:" + FreePorts.next() + "/x"))).singleElement().asString()
        .contains("cannot use mysql://root@127.0.0.1");
    assertThat(p.check(p.parse(missingSource()))).singleElement().asString().contains("Unknown database");
    assertThat(p.check(new io.lifeboat.core.provider.ComponentSource("mysql",
            "mysql://nobody_" + run + ":secret-pw@" + HOST + ":" + PORT + "/mysql", "x")))
        .singleElement().asString().contains("Access denied").doesNotContain("secret-pw");
  }
}
