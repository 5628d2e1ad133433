package dev.heartbeat.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/** The dialect's DDL from main resources, with the table prefix filled in. */
final class Schema {
  /** Letters, digits and underscores, starting with a letter or underscore. */
  static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Schema() {}

  /**
   * The CREATE statements, in order. A statement ends with a line that ends with the delimiter,
   * {@code ;} unless a {@code DELIMITER} line (as the {@code mysql} client reads it) sets another
   * for statements with {@code ;} inside, such as a procedure's body. Lines starting with
   * {@code --} are comments.
   */
  static List<String> statements(Dialect dialect, String prefix) {
    String text;
    try (InputStream in = Schema.class.getResourceAsStream(dialect.ddlResource())) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + dialect.ddlResource());
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = new ArrayList<>();
    String delimiter = ";";
    StringBuilder statement = new StringBuilder();
    for (String line : text.split("\n")) {
      String stripped = line.strip();
      if (stripped.startsWith("--")) {
        continue;
      }
      if (stripped.regionMatches(true, 0, "DELIMITER ", 0, "DELIMITER ".length())) {
        delimiter = stripped.substring("DELIMITER ".length()).strip();
        continue;
      }
      if (stripped.endsWith(delimiter)) {
        statement.append(line, 0, line.lastIndexOf(delimiter));
        add(out, statement, prefix);
      } else {
        statement.append(line).append('\n');
      }
    }
    add(out, statement, prefix);
    return out;
  }

  private static void add(List<String> out, StringBuilder statement, String prefix) {
    if (!statement.toString().isBlank()) {
      out.add(statement.toString().strip().replace("{p}", prefix));
    }
    statement.setLength(0);
  }

  /** H2 has no advisory lock: one JVM (where its embedded databases live) creates at a time. */
  private static final ReentrantLock H2_CREATION = new ReentrantLock();

  /**
   * Runs the DDL, serialised against every other creation of the same prefix, so that stores
   * starting together can all create one fresh schema: {@code IF NOT EXISTS} alone is not safe
   * to race (PostgreSQL fails on a duplicate key in {@code pg_type}, H2 with "object already
   * exists"). PostgreSQL: a transaction-scoped advisory lock on the prefix, taken first in the
   * caller's transaction (its DDL is transactional, so the lock is held until all of it commits);
   * MariaDB: a named lock ({@code GET_LOCK}) for the session, let go at the end; H2: a lock of
   * this JVM.
   */
  static Void create(java.sql.Connection c, Dialect dialect, String prefix)
      throws java.sql.SQLException {
    String key = "heartbeat schema " + prefix;
    switch (dialect) {
      case POSTGRESQL -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
          ps.setLong(1, lockKey(key));
          ps.executeQuery().close();
        }
        run(c, dialect, prefix);
      }
      case MARIADB -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
          ps.setString(1, key);
          ps.setInt(2, LOCK_WAIT_SECONDS);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || rs.getInt(1) != 1) {
              throw new java.sql.SQLException("another client held the schema lock '" + key
                  + "' for more than " + LOCK_WAIT_SECONDS + " s");
            }
          }
        }
        try {
          run(c, dialect, prefix);
        } finally {
          try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, key);
            ps.executeQuery().close();
          }
        }
      }
      case H2 -> {
        H2_CREATION.lock();
        try {
          run(c, dialect, prefix);
        } finally {
          H2_CREATION.unlock();
        }
      }
    }
    return null;
  }

  /**
   * How long a creation waits for another one of the same prefix (MariaDB's lock): below the
   * default statement timeout, so that the error says what it waited for.
   */
  private static final int LOCK_WAIT_SECONDS = 8;

  /** A stable 64-bit key for PostgreSQL's advisory lock (FNV-1a of the UTF-8 bytes). */
  static long lockKey(String key) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  private static void run(java.sql.Connection c, Dialect dialect, String prefix)
      throws java.sql.SQLException {
    try (Statement st = c.createStatement()) {
      for (String ddl : statements(dialect, prefix)) {
        st.execute(ddl);
      }
    }
  }

  /** What a missing-table error tells the user to do. */
  static String howToCreate(Dialect dialect) {
    return "create or upgrade the tables with JdbcStore.builder(dataSource).createSchema(true) or "
        + "store.createSchema(), or run the DDL " + dialect.ddlResource().substring(1)
        + " (in the heartbeat-jdbc jar) with {p} replaced by the table prefix";
  }

  /** The store's tables that do not exist, in the order {@link #tables} names them. */
  static List<String> missingTables(java.sql.Connection c, Sql sql) throws java.sql.SQLException {
    List<String> missing = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      for (String table : tables(sql)) {
        try {
          st.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
        } catch (java.sql.SQLException e) {
          if (!Jdbc.missingTable(e)) {
            throw e;
          }
          missing.add(table);
        }
      }
    }
    return missing;
  }

  /** The six tables, dependents first. */
  static List<String> tables(Sql sql) {
    return List.of(sql.heartbeats, sql.events, sql.leases, sql.fencing, sql.agentsGone,
        sql.agents);
  }

  /**
   * The task tables, created with the others but not required to open an existing store (one
   * made by a version before tasks works but for its task calls, whose error says to create them).
   */
  static List<String> taskTables(Sql sql) {
    String prefix = sql.agents.substring(0, sql.agents.length() - "agents".length());
    return List.of(prefix + "task_attempts", prefix + "tasks", prefix + "task_tokens");
  }

  static Void drop(java.sql.Connection c, Sql sql) throws java.sql.SQLException {
    try (Statement st = c.createStatement()) {
      for (String table : taskTables(sql)) {
        st.execute("DROP TABLE IF EXISTS " + table);
      }
      for (String table : tables(sql)) {
        st.execute("DROP TABLE IF EXISTS " + table);
      }
      if (sql.dialect == Dialect.MARIADB) {
        st.execute("DROP PROCEDURE IF EXISTS " + sql.recordBeat);
      }
    }
    return null;
  }
}
