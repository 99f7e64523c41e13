package io.lifeboat.provider.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Row counts per table: recorded at dump time (as metadata {@code rows.<schema>.<table>}) and
 * compared after a restore. The health check of every SQL provider.
 */
public final class TableCounts {

  /** Tables beyond this many are counted in the total but not listed one by one. */
  static final int MAX_LISTED = 300;

  private TableCounts() {}

  /** Counts rows of each table, given as qualified, quoted SQL names keyed by display name. */
  public static Map<String, Long> count(Connection c, Map<String, String> tables)
      throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    try (Statement s = c.createStatement()) {
      for (Map.Entry<String, String> t : tables.entrySet()) {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + t.getValue())) {
          r.next();
          counts.put(t.getKey(), r.getLong(1));
        }
      }
    }
    return counts;
  }

  /** Metadata entries for the counts. */
  public static Map<String, String> asMetadata(Map<String, Long> counts) {
    Map<String, String> m = new TreeMap<>();
    m.put("tables", Integer.toString(counts.size()));
    m.put("rows", Long.toString(counts.values().stream().mapToLong(Long::longValue).sum()));
    int i = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (i++ >= MAX_LISTED) {
        break;
      }
      m.put("rows." + e.getKey(), Long.toString(e.getValue()));
    }
    return m;
  }

  /** Compares restored counts with recorded ones; fills in checks and problems. */
  public static void compare(
      Map<String, Long> actual,
      Map<String, String> metadata,
      List<String> checks,
      List<String> problems) {
    long expectedTables = Long.parseLong(metadata.getOrDefault("tables", "-1"));
    if (expectedTables >= 0 && expectedTables != actual.size()) {
      problems.add(actual.size() + " tables restored, the backup had " + expectedTables);
    } else {
      checks.add(actual.size() + " tables, as in the backup");
    }
    List<String> mismatched = new ArrayList<>();
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (!e.getKey().startsWith("rows.")) {
        continue;
      }
      String table = e.getKey().substring(5);
      Long n = actual.get(table);
      if (n == null) {
        problems.add("table " + table + " is missing");
      } else if (n != Long.parseLong(e.getValue())) {
        mismatched.add(table + " has " + n + " rows, the backup had " + e.getValue());
      }
    }
    long total = actual.values().stream().mapToLong(Long::longValue).sum();
    String recordedTotal = metadata.get("rows");
    if (recordedTotal != null && Long.parseLong(recordedTotal) != total) {
      mismatched.add(total + " rows in all, the backup had " + recordedTotal);
    }
    if (mismatched.isEmpty()) {
      checks.add(total + " rows, every table's count as in the backup");
    } else {
      problems.addAll(mismatched);
    }
  }
}
