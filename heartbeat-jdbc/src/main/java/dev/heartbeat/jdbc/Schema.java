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

  static Void drop(java.sql.Connection c, Sql sql) throws java.sql.SQLException {
    try (Statement st = c.createStatement()) {
      for (String table : List.of(sql.heartbeats, sql.events, sql.leases, sql.fencing,
          sql.agents)) {
        st.execute("DROP TABLE IF EXISTS " + table);
      }
    }
    return null;
  }
}
