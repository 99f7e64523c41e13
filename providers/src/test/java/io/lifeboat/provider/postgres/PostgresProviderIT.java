package io.lifeboat.provider.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.provider.sql.DbUri;
import io.lifeboat.provider.sql.SqlProviderContractTest;
import io.lifeboat.testkit.FreePorts;
import io.lifeboat.testkit.RequiredServers;
import io.lifeboat.testkit.SqlFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provider contract against the real PostgreSQL on this machine, in databases of its own. */
class PostgresProviderIT extends SqlProviderContractTest {

  static final String HOST = System.getProperty("lifeboat.test.postgres.host", "127.0.0.1");
  static final int PORT = Integer.getInteger("lifeboat.test.postgres.port", 5432);

  @BeforeAll
  static void postgresIsThere() {
    RequiredServers.assume(
        "postgres", FreePorts.listening(HOST, PORT), "nothing listens on " + HOST + ":" + PORT);
  }

  @Override
  protected String spec(String db) {
    return "postgres://postgres@" + HOST + ":" + PORT + "/" + db;
  }

  @Override
  protected String serverDatabase() {
    return PostgresProvider.DB.serverDatabase();
  }

  @Override
  protected String databasesLike(String prefix) {
    return "SELECT datname FROM pg_database WHERE datname LIKE '" + prefix + "%'";
  }

  @Override
  protected String createDatabase(String name) {
    return "CREATE DATABASE \"" + name + "\"";
  }

  @Override
  protected String dropDatabase(String name) {
    return "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)";
  }

  @Override
  protected List<String> sourceStatements() {
    return SqlFixtures.postgres(20_000);
  }

  @Override
  protected List<String> checkRoleStatements() {
    return SqlFixtures.postgresCheckRole();
  }

  @Override
  protected String readsAFile() {
    return "select split_part(pg_read_file('/etc/passwd'), chr(10), 1)";
  }

  @Override
  protected PostgresProvider provider() {
    return new PostgresProvider();
  }

  /** Schema and data as plain SQL, which must be the same for source and target. */
  static String plainDump(String spec) throws Exception {
    DbUri uri = PostgresProvider.DB.parse(spec);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PostgresProvider.tool("pg_dump")
        .run(
            List.of(
                "--host=" + uri.host(),
                "--port=" + uri.port(),
                "--username=" + uri.user(),
                "--no-password",
                "--format=plain",
                "--dbname=" + uri.database()),
            java.util.Map.of(),
            null,
            out);
    // pg_dump 15.14+ brackets plain dumps with \\restrict KEY / \\unrestrict KEY, a new random key
    // each time
    return out.toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.startsWith("\\restrict ") && !l.startsWith("\\unrestrict "))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  @Override
  protected void assertSameContent(String sourceSpec, String targetSpec) throws Exception {
    String source = plainDump(sourceSpec);
    assertThat(source).contains("CREATE TABLE sales.orders").contains("COPY sales.orders");
    assertThat(plainDump(targetSpec)).isEqualTo(source);
  }

  @Override
  protected Object describe(String targetSpec) throws Exception {
    try {
      return plainDump(targetSpec);
    } catch (java.io.IOException e) {
      return "absent: " + e.getMessage().contains("does not exist");
    }
  }

  @Override
  protected void damage(String targetSpec) throws Exception {
    execute(targetSpec, "DELETE FROM audit.events WHERE id <= 10");
  }

  @Test
  void dump_recordsVersionsTablesAndRowCounts() throws Exception {
    String source = newSource();
    var r = provider().dump(provider().parse(source), java.io.OutputStream.nullOutputStream());
    assertThat(r.metadata())
        .containsEntry("tables", "3")
        .containsEntry("rows.sales.orders", "20000")
        .containsEntry("rows.sales.customers", "2000")
        .containsEntry("rows", "27000")
        .containsKey("serverVersion");
    assertThat(r.metadata().get("pgDumpVersion")).startsWith("pg_dump (PostgreSQL)");
  }

  @Test
  void unreachableServer_wrongPassword_missingDatabase_areClearProblems() throws Exception {
    ComponentProvider p = provider();
    assertThat(p.check(p.parse("postgres://postgres@127.0.0.1:" + FreePorts.next() + "/x")))
        .singleElement()
        .asString()
        .contains("Connection to 127.0.0.1")
        .contains("refused");
    assertThat(p.check(p.parse(missingSource())))
        .singleElement()
        .asString()
        .contains("does not exist");
    List<String> badUser =
        p.check(
            new ComponentSource(
                "postgres",
                "postgres://nobody_" + run + ":secret-pw@" + HOST + ":" + PORT + "/postgres",
                "x"));
    assertThat(badUser).singleElement().asString().contains("nobody_").doesNotContain("secret-pw");
  }

  @Test
  void display_neverShowsThePassword() throws Exception {
    assertThat(provider().parse("postgres://app:s3cret@db.example:5432/shop").display())
        .isEqualTo("postgres://app@db.example:5432/shop");
  }
}
