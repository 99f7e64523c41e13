package io.lifeboat.provider.sql;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * How a plan's SQL check runs: refused when its login may do more than read (a superuser could run
 * programs with {@code COPY ... TO PROGRAM} or read files with {@code pg_read_file}), otherwise in
 * a read-only transaction that is rolled back, with a time limit. The login's rights are the
 * boundary; the read-only transaction keeps a check from changing the data it checks.
 */
public final class CheckQuery {

  /** What differs per server. */
  public interface Dialect {

    /**
     * The rights of the connected role beyond reading data, each as words that follow its name ("is
     * a superuser"); empty when it may only read.
     */
    List<String> rightsBeyondReading(Connection c) throws SQLException;

    /** The statements that start a transaction the query cannot turn read-write. */
    List<String> beginReadOnly();

    /**
     * How many statements the driver would send for this text (it may split on {@code ;}): a check
     * is one query.
     */
    int statements(String sql) throws SQLException;
  }

  private CheckQuery() {}

  /**
   * The check as a subquery of one SELECT: a second statement (which could end the read-only
   * transaction), {@code DO}, {@code COPY} or a data-changing {@code WITH} are then syntax errors
   * rather than work.
   */
  static String asOneQuery(String sql) {
    String q = sql.strip();
    while (q.endsWith(";")) {
      q = q.substring(0, q.length() - 1).strip();
    }
    return "SELECT * FROM (" + q + "\n) AS lifeboat_check LIMIT 1";
  }

  /**
   * The first column of the first row ("(no rows)" when none).
   *
   * @param login the role's name, for the refusal
   * @throws IOException when the login may do more than read
   */
  public static String firstValue(Connection c, String login, String sql, Dialect dialect)
      throws IOException, SQLException {
    List<String> rights = dialect.rightsBeyondReading(c);
    if (!rights.isEmpty()) {
      throw new IOException(
          "refused to run the check as "
              + login
              + ", which "
              + String.join(" and ", rights)
              + ": SQL checks run only as a role that can do no more than read"
              + " (lifeboat.recovery.executor.sql-check-user; docs/recovery.md, SQL checks)");
    }
    String query = asOneQuery(sql);
    if (dialect.statements(query) != 1) {
      throw new IOException(
          "refused to run the check: it holds more than one statement (a check is one query)");
    }
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(60);
      for (String begin : dialect.beginReadOnly()) {
        s.execute(begin);
      }
      try (ResultSet rs = s.executeQuery(query)) {
        return rs.next() ? String.valueOf(rs.getString(1)) : "(no rows)";
      } finally {
        s.execute("ROLLBACK");
      }
    }
  }
}
