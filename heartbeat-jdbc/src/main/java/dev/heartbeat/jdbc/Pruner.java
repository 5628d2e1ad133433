package dev.heartbeat.jdbc;

import dev.heartbeat.spi.Retention;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Retention of history and events: deletes by age (database clock), then everything beyond the
 * newest {@code keepLast} per agent. Every DELETE removes at most {@value #BATCH} rows in its own
 * auto-committed statement, so writers are never blocked for long; the loop ends when a statement
 * removes fewer.
 */
final class Pruner {
  /** Rows per DELETE. */
  static final int BATCH = 1000;

  /** Binds the parameters of one statement. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private final Sql sql;
  private final Jdbc jdbc;
  private final LongSupplier offset;

  Pruner(Sql sql, Jdbc jdbc, LongSupplier offset) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.offset = offset;
  }

  long prune(Retention retention) {
    long maxAgeUs = Rows.micros(retention.maxAge());
    long removed = 0;
    // forgets older than the retention (not counted): a reader that far behind sees them by a
    // complete read
    deleteAll(sql.agentsGone, "gone_at < " + sql.now + " - ?", ps -> {
      ps.setLong(1, offset.getAsLong());
      ps.setLong(2, maxAgeUs);
    });
    for (String table : List.of(sql.heartbeats, sql.events)) {
      removed += deleteAll(table, "recorded_at < " + sql.now + " - ?", ps -> {
        ps.setLong(1, offset.getAsLong());
        ps.setLong(2, maxAgeUs);
      });
      for (String agentId : agentIds(table)) {
        Long cutoff = jdbc.call("prune(" + table + ")", c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.nthNewest(table))) {
            ps.setString(1, agentId);
            ps.setInt(2, retention.keepLast());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : null;
            }
          }
        });
        if (cutoff != null) {
          removed += deleteAll(table, "agent_id = ? AND id <= ?", ps -> {
            ps.setString(1, agentId);
            ps.setLong(2, cutoff);
          });
        }
      }
    }
    return removed;
  }

  private List<String> agentIds(String table) {
    return jdbc.call("prune(" + table + ")", c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT agent_id FROM " + table);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    });
  }

  private long deleteAll(String table, String condition, Binder binder) {
    String statement = sql.dialect.limitedDelete(table, condition, BATCH);
    long total = 0;
    while (true) {
      int deleted = jdbc.call("prune(" + table + ")", c -> {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
          binder.bind(ps);
          return ps.executeUpdate();
        }
      });
      total += deleted;
      if (deleted < BATCH) {
        return total;
      }
    }
  }
}
