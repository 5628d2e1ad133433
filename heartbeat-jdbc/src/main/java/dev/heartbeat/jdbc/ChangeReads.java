package dev.heartbeat.jdbc;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.StoreProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The incremental read of the agents table: the rows whose {@code last_seen_at} (the database's
 * beat time, indexed) is at or after the cursor, and the forgets ({@code agents_gone}, one row
 * per forgotten id with the database time of its forget) at or after it.
 *
 * <p>The cursor trails the database clock, because a write is stamped before it commits: a beat
 * stamped at t may commit after a read that already saw a beat stamped after t (a commit-order
 * race), and a cursor at the newest stamp seen would skip it. Each read first takes a bound B
 * in one statement, then reads the rows in the next ones (each with a newer snapshot); the next
 * cursor is B, so every write that commits after this read's snapshot has a stamp at or after B:
 * <ul>
 *   <li>PostgreSQL: B is the older of the statement's time and the start of the oldest
 *       transaction open on the database ({@code pg_stat_activity.xact_start}: a row is stamped
 *       with {@code statement_timestamp()}, never before its transaction started), less
 *       {@value #PG_MARGIN_MICROS} us. A transaction left open (idle in transaction) holds B back
 *       and makes reads larger, never lossy. The store's role must see its writers' sessions
 *       (the same role, or {@code pg_read_all_stats}), as it does when they share a role.</li>
 *   <li>MariaDB and H2 show no reliable start of other transactions to every user: B is the
 *       statement's time less a fixed overlap of {@value #FIXED_OVERLAP_MICROS} us, so a write that
 *       commits more than that after its stamp is seen only by the reader's next full read
 *       ({@code agents()}), which the stall detector makes every few polls.</li>
 * </ul>
 * The overlap re-reads rows already seen: the answer may hold more than what changed.
 */
final class ChangeReads {
  /** PostgreSQL: how far the cursor trails the oldest open transaction's start. */
  static final long PG_MARGIN_MICROS = 20_000;
  /** MariaDB and H2: how far the cursor trails the database clock. */
  static final long FIXED_OVERLAP_MICROS = 1_000_000;

  private final Sql sql;
  private final Jdbc jdbc;
  private final StoreProblems problems;
  private final LongSupplier offset;
  private final String bound;
  private final String goneSince;
  private final String agentsSince;
  private final String markGone;

  ChangeReads(Sql sql, Jdbc jdbc, StoreProblems problems, LongSupplier offset) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.problems = problems;
    this.offset = offset;
    this.bound = switch (sql.dialect) {
      case POSTGRESQL -> "SELECT " + sql.now + ", COALESCE((SELECT (extract(epoch from"
          + " statement_timestamp() - min(xact_start)) * 1000000)::bigint FROM pg_stat_activity"
          + " WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()"
          + " AND backend_type = 'client backend' AND datname = current_database()), 0) + "
          + PG_MARGIN_MICROS;
      case MARIADB, H2 -> "SELECT " + sql.now + ", " + FIXED_OVERLAP_MICROS;
    };
    this.goneSince = "SELECT id FROM " + sql.agentsGone + " WHERE gone_at >= ?";
    this.agentsSince = sql.selectAgents + " WHERE last_seen_at >= ?";
    this.markGone = switch (sql.dialect) {
      case POSTGRESQL -> "INSERT INTO " + sql.agentsGone + " (id, gone_at) VALUES (?, " + sql.now
          + ") ON CONFLICT (id) DO UPDATE SET gone_at = EXCLUDED.gone_at";
      case MARIADB -> "INSERT INTO " + sql.agentsGone + " (id, gone_at) VALUES (?, " + sql.now
          + ") ON DUPLICATE KEY UPDATE gone_at = VALUES(gone_at)";
      case H2 -> "MERGE INTO " + sql.agentsGone + " (id, gone_at) KEY (id) VALUES (?, "
          + sql.now + ")";
    };
  }

  /** Records the forget of {@code agentId}, in the forget's transaction. */
  void markGone(Connection c, String agentId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(markGone)) {
      ps.setString(1, agentId);
      ps.setLong(2, offset.getAsLong());
      ps.executeUpdate();
    }
  }

  AgentChanges since(ChangeCursor cursor) {
    AgentChanges answer = jdbc.call("agentsChangedSince()", c -> {
      long next;
      try (PreparedStatement ps = c.prepareStatement(bound)) {
        ps.setLong(1, offset.getAsLong());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          next = rs.getLong(1) - rs.getLong(2);
        }
      }
      if (cursor.isStart()) {
        return new AgentChanges(rows(c, sql.selectAgents, null), List.of(), true,
            new ChangeCursor(next));
      }
      List<String> forgotten = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(goneSince)) {
        ps.setLong(1, cursor.position());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            forgotten.add(rs.getString(1));
          }
        }
      }
      List<Heartbeat> changed = rows(c, agentsSince, cursor.position());
      // next may be below the cursor (a clock stepped back): it re-reads, it never skips
      return new AgentChanges(changed, forgotten, false, new ChangeCursor(next));
    });
    return answer;
  }

  private List<Heartbeat> rows(Connection c, String query, Long since) throws SQLException {
    List<Heartbeat> list = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(query)) {
      if (since != null) {
        ps.setLong(1, since);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Heartbeat h = AgentTable.readable(rs, problems, sql.agents + "/" + rs.getString(1));
          if (h != null) {
            list.add(h);
          }
        }
      }
    }
    list.sort(Comparator.comparing(Heartbeat::agentId));
    return list;
  }
}
