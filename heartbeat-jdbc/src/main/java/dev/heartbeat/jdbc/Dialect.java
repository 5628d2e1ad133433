package dev.heartbeat.jdbc;

import java.util.Locale;

/**
 * The SQL flavours {@link JdbcStore} speaks. Detected from
 * {@link java.sql.DatabaseMetaData#getDatabaseProductName()} unless set with
 * {@link JdbcStoreBuilder#dialect(Dialect)}.
 *
 * <p>Each dialect ships its DDL as a resource ({@code dev/heartbeat/jdbc/<name>.sql}) and says how
 * to read the database clock. Instants are stored as {@code BIGINT} microseconds since the epoch
 * (UTC), computed by the database, so no driver or session time zone ever touches them.
 */
public enum Dialect {
  /** PostgreSQL 12 or newer: {@code statement_timestamp()}; batch renewal in one statement. */
  POSTGRESQL("postgresql.sql", "(extract(epoch from statement_timestamp()) * 1000000)::bigint"),
  /**
   * MariaDB 10.3 or newer ({@code UTC_TIMESTAMP(6)}); MySQL 8 works with the same SQL except for
   * the DDL's {@code utf8mb4_nopad_bin} collation, which MySQL calls {@code utf8mb4_0900_bin}.
   */
  MARIADB("mariadb.sql", "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))"),
  /**
   * H2 2.x, in memory or in a file: {@code CURRENT_TIMESTAMP(6)}; batch renewal in one
   * {@code MERGE} per chunk.
   */
  H2("h2.sql", "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(6)) * 1000000 AS BIGINT)");

  private final String ddl;
  private final String epochMicros;

  Dialect(String ddl, String epochMicros) {
    this.ddl = ddl;
    this.epochMicros = epochMicros;
  }

  /** The dialect of a database product name as its driver reports it. */
  static Dialect detect(String productName) {
    String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgres")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MARIADB;
    }
    if (name.equals("h2")) {
      return H2;
    }
    throw new IllegalArgumentException("database product '" + productName + "' has no heartbeat "
        + "dialect; supported: PostgreSQL, MariaDB, MySQL, H2 (set one with "
        + "JdbcStore.builder(..).dialect(..) if it speaks one of them)");
  }

  /** The classpath resource with this dialect's DDL. */
  String ddlResource() {
    return "/dev/heartbeat/jdbc/" + ddl;
  }

  /**
   * The store clock in SQL: the database's now in epoch microseconds plus one bound parameter,
   * the clock offset (zero in production; tests move it with their manual clock).
   */
  String now() {
    return "(" + epochMicros + " + ?)";
  }

  /** A DELETE of at most {@code limit} rows of {@code table} matching {@code condition}. */
  String limitedDelete(String table, String condition, int limit) {
    if (this == MARIADB) {
      return "DELETE FROM " + table + " WHERE " + condition + " ORDER BY id LIMIT " + limit;
    }
    return "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " WHERE "
        + condition + " ORDER BY id LIMIT " + limit + ")";
  }
}
