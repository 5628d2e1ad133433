package dev.heartbeat.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The dialect's DDL from main resources, with the table prefix filled in. */
final class Schema {
  /** Letters, digits and underscores, starting with a letter or underscore. */
  static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Schema() {}

  /** The CREATE statements, in order. */
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
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n")) {
      if (!line.strip().startsWith("--")) {
        body.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String statement : body.toString().split(";")) {
      if (!statement.isBlank()) {
        out.add(statement.strip().replace("{p}", prefix));
      }
    }
    return out;
  }

  static Void create(java.sql.Connection c, Dialect dialect, String prefix)
      throws java.sql.SQLException {
    try (Statement st = c.createStatement()) {
      for (String ddl : statements(dialect, prefix)) {
        st.execute(ddl);
      }
    }
    return null;
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

  /** The five tables, dependents first. */
  static List<String> tables(Sql sql) {
    return List.of(sql.heartbeats, sql.events, sql.leases, sql.fencing, sql.agents);
  }

  static Void drop(java.sql.Connection c, Sql sql) throws java.sql.SQLException {
    try (Statement st = c.createStatement()) {
      for (String table : tables(sql)) {
        st.execute("DROP TABLE IF EXISTS " + table);
      }
    }
    return null;
  }
}
