package io.lifeboat.provider.sql;

import io.lifeboat.core.provider.ComponentProviderContractTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The provider contract against a real SQL server on this machine, in databases of its own: each
 * test names its databases {@code lbtest_<random>_...} and drops them afterwards, so tests neither
 * see each other's databases nor leave any behind. Subclasses say how to reach their server and how
 * it creates, lists and drops databases.
 */
public abstract class SqlProviderContractTest extends ComponentProviderContractTest {

  /** The prefix of this test's database names. */
  protected String run;

  private int n;

  @Override
  protected abstract SqlProvider provider();

  /** The spec of the database {@code db} on the test server. */
  protected abstract String spec(String db);

  /** The database that server-level statements (create, list, drop) run in. */
  protected abstract String serverDatabase();

  /** A query for the names of the databases whose names start with {@code prefix}. */
  protected abstract String databasesLike(String prefix);

  protected abstract String createDatabase(String name);

  protected abstract String dropDatabase(String name);

  /** The statements that fill a source database. */
  protected abstract List<String> sourceStatements();

  /** Statements that make the role plan checks connect as, on the server (as the spec's user). */
  protected abstract List<String> checkRoleStatements();

  /**
   * A query that returns the first line of /etc/passwd, if its login may read the server's files.
   */
  protected abstract String readsAFile();

  /**
   * A plan's check query runs as the check role, not as the target's user (a superuser here), and
   * cannot read the server's files through it.
   */
  @org.junit.jupiter.api.Test
  void checkQueries_runAsTheCheckRole_andNeverAsALoginThatMayDoMoreThanRead() throws Exception {
    String db = run + "_chk";
    create(db, List.of("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2)"));
    for (String sql : checkRoleStatements()) {
      execute(spec(serverDatabase()), sql);
    }
    SqlProvider p = provider();
    io.lifeboat.core.provider.RestoreTarget target =
        new io.lifeboat.core.provider.RestoreTarget(spec(db));
    io.lifeboat.core.provider.CheckLogin check =
        new io.lifeboat.core.provider.CheckLogin("lifeboat_check", null);

    org.assertj.core.api.Assertions.assertThat(
            p.queryValue(target, "select count(*) from t", check))
        .isEqualTo("2");
    String owner = p.parseUri(spec(db)).user();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                p.queryValue(
                    target, "select 1", new io.lifeboat.core.provider.CheckLogin(owner, null)))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("refused to run the check as " + owner)
        .hasMessageContaining("can do no more than read");
    String file;
    try {
      file = p.queryValue(target, readsAFile(), check);
    } catch (java.io.IOException refused) {
      file = String.valueOf(refused.getMessage());
    }
    org.assertj.core.api.Assertions.assertThat(file).doesNotContain("root:x:0");
    // one SELECT: a second statement cannot end the read-only transaction and write
    for (String escape :
        List.of(
            "select 1; commit; delete from t",
            "select 1) q; commit; delete from t; select * from (select 1")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.queryValue(target, escape, check))
          .as(escape)
          .isInstanceOf(java.io.IOException.class);
    }
    try (Connection c = connect(spec(db));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from t")) {
      rs.next();
      org.assertj.core.api.Assertions.assertThat(rs.getInt(1)).isEqualTo(2);
    }
    org.assertj.core.api.Assertions.assertThat(
            p.queryValue(target, "select count(*) from t;", check))
        .isEqualTo("2");
  }

  /** A connection to the database of {@code spec}, as the provider makes it. */
  protected Connection connect(String spec) throws Exception {
    SqlProvider p = provider();
    return p.open(p.parseUri(spec));
  }

  @BeforeEach
  void newRun() {
    run = "lbtest_" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void dropDatabases() throws Exception {
    try (Connection c = connect(spec(serverDatabase()));
        Statement s = c.createStatement()) {
      List<String> names = new ArrayList<>();
      try (ResultSet r = s.executeQuery(databasesLike(run))) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
      for (String name : names) {
        s.execute(dropDatabase(name));
      }
    }
  }

  /** Creates the database {@code db} and runs {@code statements} in it. */
  protected void create(String db, List<String> statements) throws Exception {
    execute(spec(serverDatabase()), createDatabase(db));
    try (Connection c = connect(spec(db));
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** Runs one statement in the database of {@code spec}. */
  protected void execute(String spec, String sql) throws Exception {
    try (Connection c = connect(spec);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  protected String newSource() throws Exception {
    String db = run + "_src" + n++;
    create(db, sourceStatements());
    return spec(db);
  }

  @Override
  protected String newTarget() {
    return spec(run + "_tgt" + n++);
  }

  @Override
  protected String occupiedTarget() throws Exception {
    String db = run + "_occ" + n++;
    create(
        db,
        List.of(
            "CREATE TABLE keep_me (id INT PRIMARY KEY, v TEXT)",
            "INSERT INTO keep_me VALUES (1, 'original')"));
    return spec(db);
  }

  @Override
  protected String missingSource() {
    return spec(run + "_does_not_exist");
  }
}
