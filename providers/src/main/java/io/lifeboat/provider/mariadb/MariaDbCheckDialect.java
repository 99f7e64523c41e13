package io.lifeboat.provider.mariadb;

import io.lifeboat.provider.sql.CheckQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MariaDB's and MySQL's part of a check query: an account may only read when none of its grants
 * holds {@code ALL PRIVILEGES}, {@code SUPER} or {@code FILE} (which reads and writes the server's
 * files with {@code LOAD_FILE} and {@code INTO OUTFILE}), and it holds no role (whose rights this
 * list does not show). Read-only: {@code START TRANSACTION READ ONLY}; the driver sends one
 * statement at a time.
 */
final class MariaDbCheckDialect implements CheckQuery.Dialect {

  static final MariaDbCheckDialect INSTANCE = new MariaDbCheckDialect();

  private static final List<String> BEYOND_READING = List.of("ALL PRIVILEGES", "SUPER", "FILE");

  private MariaDbCheckDialect() {}

  @Override
  public List<String> rightsBeyondReading(Connection c) throws SQLException {
    List<String> rights = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
      while (rs.next()) {
        String grant = String.valueOf(rs.getString(1)).toUpperCase(Locale.ROOT);
        int on = grant.indexOf(" ON ");
        if (grant.startsWith("GRANT ") && on < 0 && grant.contains(" TO ")) {
          // a role: its rights are not listed here (nor always active), so they cannot be judged
          if (!rights.contains("holds roles")) {
            rights.add("holds roles");
          }
          continue;
        }
        if (!grant.startsWith("GRANT ") || on < 0) {
          continue;
        }
        for (String privilege : grant.substring("GRANT ".length(), on).split(",")) {
          String p = privilege.strip();
          if (BEYOND_READING.contains(p) && !rights.contains("holds " + p)) {
            rights.add("holds " + p);
          }
        }
      }
    }
    return rights;
  }

  /** One: the driver sends the text as it is (multi-statement support is off). */
  @Override
  public int statements(String sql) {
    return 1;
  }

  @Override
  public List<String> beginReadOnly() {
    return List.of("START TRANSACTION READ ONLY");
  }
}
