package io.lifeboat.testkit;

import java.util.List;

/**
 * SQL that builds the non-trivial databases the database tests back up: several schemas, JSON,
 * binary columns, arrays, sequences, views, functions and triggers, and one big table.
 */
public final class SqlFixtures {

  private SqlFixtures() {}

  /**
   * The role recovery plans' SQL checks connect as ({@code
   * lifeboat.recovery.executor.sql-check-user}, default {@code lifeboat_check}): it may read every
   * database's data and nothing more.
   */
  public static final String CHECK_ROLE = "lifeboat_check";

  /** PostgreSQL statements that make {@link #CHECK_ROLE} on a server (run as a superuser). */
  public static List<String> postgresCheckRole() {
    return List.of(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
            + CHECK_ROLE
            + "') THEN CREATE ROLE "
            + CHECK_ROLE
            + " LOGIN; END IF; END $$",
        "GRANT pg_read_all_data TO " + CHECK_ROLE);
  }

  /** MariaDB/MySQL statements that make {@link #CHECK_ROLE} on a server (run as root). */
  public static List<String> mariadbCheckUser() {
    return List.of(
        "CREATE USER IF NOT EXISTS '" + CHECK_ROLE + "'@'%'",
        "GRANT SELECT ON *.* TO '" + CHECK_ROLE + "'@'%'");
  }

  /** PostgreSQL statements, run in an empty database. */
  public static List<String> postgres(int orders) {
    return List.of(
        "CREATE SCHEMA sales",
        "CREATE SCHEMA audit",
        "CREATE SEQUENCE sales.order_seq START 1000",
        "CREATE TABLE sales.customers (id serial PRIMARY KEY, name text NOT NULL, tags text[], profile jsonb,"
            + " avatar bytea, created timestamptz DEFAULT '2026-01-01 00:00:00+00')",
        "CREATE TABLE sales.orders (id bigint PRIMARY KEY DEFAULT nextval('sales.order_seq'),"
            + " customer_id int REFERENCES sales.customers(id), total numeric(12,2), items jsonb, placed date)",
        "CREATE INDEX orders_by_customer ON sales.orders (customer_id)",
        "CREATE TABLE audit.events (id bigserial PRIMARY KEY, at timestamptz, payload jsonb)",
        "INSERT INTO sales.customers (name, tags, profile, avatar) SELECT 'customer ' || g, ARRAY['t' || (g % 5), 'x'],"
            + " jsonb_build_object('n', g, 'vip', g % 7 = 0, 'address', jsonb_build_object('city', 'City ' || (g % 40))),"
            + " decode(md5(g::text), 'hex') FROM generate_series(1, 2000) g",
        "INSERT INTO sales.orders (customer_id, total, items, placed) SELECT (g % 2000) + 1, (g % 100000) / 100.0,"
            + " jsonb_build_array(g, 'sku-' || (g % 977)), date '2026-01-01' + (g % 300) FROM generate_series(1, "
            + orders
            + ") g",
        "INSERT INTO audit.events (at, payload) SELECT timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute',"
            + " jsonb_build_object('event', g) FROM generate_series(1, 5000) g",
        "CREATE VIEW sales.big_orders AS SELECT * FROM sales.orders WHERE total > 500",
        "CREATE FUNCTION sales.order_total(c int) RETURNS numeric LANGUAGE sql AS"
            + " $$ SELECT coalesce(sum(total), 0) FROM sales.orders WHERE customer_id = c $$",
        "CREATE FUNCTION audit.stamp() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN NEW.at := coalesce(NEW.at, '2026-01-01 00:00:00+00'); RETURN NEW; END $$",
        "CREATE TRIGGER stamp BEFORE INSERT ON audit.events FOR EACH ROW EXECUTE FUNCTION audit.stamp()");
  }

  /** MariaDB/MySQL statements, run in an empty database. */
  public static List<String> mariadb(int orders) {
    return List.of(
        "CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, profile JSON,"
            + " avatar BLOB, created DATETIME(6) DEFAULT '2026-01-01 00:00:00') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id INT, total DECIMAL(12,2),"
            + " note TEXT, placed DATE, INDEX (customer_id), FOREIGN KEY (customer_id) REFERENCES customers(id))"
            + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE events (id BIGINT AUTO_INCREMENT PRIMARY KEY, at DATETIME, payload JSON) ENGINE=InnoDB",
        "INSERT INTO customers (name, profile, avatar) SELECT CONCAT('customer ', seq), JSON_OBJECT('n', seq, 'vip', seq % 7 = 0),"
            + " UNHEX(MD5(seq)) FROM seq_1_to_2000",
        "INSERT INTO orders (customer_id, total, note, placed) SELECT (seq % 2000) + 1, (seq % 100000) / 100.0,"
            + " CONCAT('order ', seq, ' ünïcödé'), DATE_ADD('2026-01-01', INTERVAL seq % 300 DAY) FROM seq_1_to_"
            + orders,
        "INSERT INTO events (at, payload) SELECT DATE_ADD('2026-01-01', INTERVAL seq MINUTE), JSON_OBJECT('event', seq)"
            + " FROM seq_1_to_5000",
        "CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 500",
        "CREATE FUNCTION order_total(c INT) RETURNS DECIMAL(14,2) READS SQL DATA"
            + " RETURN (SELECT COALESCE(SUM(total), 0) FROM orders WHERE customer_id = c)",
        "CREATE PROCEDURE add_event(IN p JSON) INSERT INTO events (at, payload) VALUES ('2026-01-01', p)",
        "CREATE TRIGGER events_stamp BEFORE INSERT ON events FOR EACH ROW SET NEW.at = COALESCE(NEW.at, '2026-01-01')",
        "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 03:00:00' DISABLE DO DELETE FROM events WHERE id < 0");
  }
}
