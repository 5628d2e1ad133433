package dev.heartbeat.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;

/** The plan a database makes of a statement, as the text its {@code EXPLAIN} prints. */
final class Plans {
  private Plans() {}

  /** {@code EXPLAIN query} with {@code parameters} bound in order (null as a VARCHAR null). */
  static String explain(JdbcStore store, String query, Object... parameters) {
    return store.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + query)) {
        for (int i = 0; i < parameters.length; i++) {
          if (parameters[i] == null) {
            ps.setNull(i + 1, Types.VARCHAR);
          } else {
            ps.setObject(i + 1, parameters[i]);
          }
        }
        StringBuilder out = new StringBuilder();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              out.append(rs.getString(i)).append(' ');
            }
            out.append('\n');
          }
        }
        return out.toString();
      }
    });
  }
}
