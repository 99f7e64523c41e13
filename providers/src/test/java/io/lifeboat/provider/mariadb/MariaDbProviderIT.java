package io.lifeboat.provider.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.provider.sql.DbUri;
import io.lifeboat.provider.sql.SqlProviderContractTest;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import io.lifeboat.testkit.SqlFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider contract against the real MariaDB on this machine, in databases of its own. */
class MariaDbProviderIT extends SqlProviderContractTest {

  static final String HOST = "127.0.0.1";
  static final int PORT = Integer.getInteger("lifeboat.test.mariadb.port", 3306);

  @TempDir Path aside;

  @BeforeAll
  static void mariadbIsThere() {
    RequiredServers.assume(
        "mariadb", FreePorts.listening(HOST, PORT), "nothing listens on " + HOST + ":" + PORT);
  }

  @Override
  protected List<String> checkRoleStatements() {
    return SqlFixtures.mariadbCheckUser();
  }

  @Override
  protected String readsAFile() {
    return "select substring_index(load_file('/etc/passwd'), '\\n', 1)";
  }

  @Override
  protected String spec(String db) {
    return "mysql://root@" + HOST + ":" + PORT + "/" + db;
  }

  @Override
  protected String serverDatabase() {
    return MariaDbProvider.DB.serverDatabase();
  }

  @Override
  protected String databasesLike(String prefix) {
    return "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '"
        + prefix
        + "%'";
  }

  @Override
  protected String createDatabase(String name) {
    return "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4";
  }

  @Override
  protected String dropDatabase(String name) {
    return "DROP DATABASE IF EXISTS `" + name + "`";
  }

  @Override
  protected List<String> sourceStatements() {
    return SqlFixtures.mariadb(20_000);
  }

  @Override
  protected MariaDbProvider provider() {
    return new MariaDbProvider(aside);
  }

  /** Schema, data, routines, triggers and events as SQL: the same for source and target. */
  static String sqlDump(String spec) throws Exception {
    DbUri uri = MariaDbProvider.DB.parse(spec);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MariaDbProvider.tool("mariadb-dump", "mysqldump")
        .run(
            List.of(
                "--host=" + uri.host(),
                "--port=" + uri.port(),
                "--user=" + uri.user(),
                "--protocol=TCP",
                "--routines",
                "--triggers",
                "--events",
                "--skip-dump-date",
                "--skip-comments",
                "--hex-blob",
                uri.database()),
            Map.of(),
            null,
            out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  protected void assertSameContent(String sourceSpec, String targetSpec) throws Exception {
    String source = sqlDump(sourceSpec);
    assertThat(source)
        .contains("CREATE TABLE `orders`")
        .contains("INSERT INTO `orders`")
        .contains("CREATE DEFINER")
        .contains("TRIGGER")
        .contains("EVENT");
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
    execute(targetSpec, "DELETE FROM events WHERE id <= 10");
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
    assertThat(p.check(p.parse("mysql://root@127.0.0.1:" + FreePorts.next() + "/x")))
        .singleElement()
        .asString()
        .contains("cannot use mysql://root@127.0.0.1");
    assertThat(p.check(p.parse(missingSource())))
        .singleElement()
        .asString()
        .contains("Unknown database");
    assertThat(
            p.check(
                new io.lifeboat.core.provider.ComponentSource(
                    "mysql",
                    "mysql://nobody_" + run + ":secret-pw@" + HOST + ":" + PORT + "/mysql",
                    "x")))
        .singleElement()
        .asString()
        .contains("Access denied")
        .doesNotContain("secret-pw");
  }
}
