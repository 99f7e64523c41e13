package io.lifeboat.provider.postgres;

import io.lifeboat.provider.sql.CheckQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's part of a check query: a role may only read when it is no superuser, may not create
 * roles (before PostgreSQL 16 that lets it grant itself the roles below) and is no member of the
 * roles that run programs or read and write the server's files. Read-only: {@code BEGIN READ ONLY}
 * and a first query, after which the transaction cannot be made read-write.
 */
final class PgCheckDialect implements CheckQuery.Dialect {

  static final PgCheckDialect INSTANCE = new PgCheckDialect();

  private PgCheckDialect() {}

  @Override
  public List<String> rightsBeyondReading(Connection c) throws SQLException {
    List<String> rights = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select r.rolsuper or exists (select 1 from pg_catalog.pg_roles o"
                    + "   where o.rolsuper and pg_catalog.pg_has_role(current_user, o.oid, 'MEMBER')),"
                    + " r.rolcreaterole or exists (select 1 from pg_catalog.pg_roles o"
                    + "   where o.rolcreaterole and o.rolname <> current_user"
                    + "   and pg_catalog.pg_has_role(current_user, o.oid, 'MEMBER')),"
                    + " pg_catalog.pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER'),"
                    + " pg_catalog.pg_has_role(current_user, 'pg_read_server_files', 'MEMBER'),"
                    + " pg_catalog.pg_has_role(current_user, 'pg_write_server_files', 'MEMBER')"
                    + " from pg_catalog.pg_roles r where r.rolname = current_user")) {
      if (!rs.next()) {
        rights.add("is not a role this server knows");
        return rights;
      }
      if (rs.getBoolean(1)) {
        rights.add("is (or may become) a superuser");
        return rights;
      }
      if (rs.getBoolean(2)) {
        rights.add("may create roles (or become a role that may)");
      }
      if (rs.getBoolean(3)) {
        rights.add("may run programs on the server (pg_execute_server_program)");
      }
      if (rs.getBoolean(4)) {
        rights.add("may read the server's files (pg_read_server_files)");
      }
      if (rs.getBoolean(5)) {
        rights.add("may write the server's files (pg_write_server_files)");
      }
    }
    return rights;
  }

  /** As pgjdbc splits it (standard-conforming strings, as every server since 9.1 has them). */
  @Override
  public int statements(String sql) throws SQLException {
    return org.postgresql.core.Parser.parseJdbcSql(sql, true, false, true, false, false).size();
  }

  @Override
  public List<String> beginReadOnly() {
    return List.of("BEGIN TRANSACTION READ ONLY", "SELECT 1");
  }
}
