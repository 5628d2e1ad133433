package dev.heartbeat.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL: the claim of due {@code INBOX} rows as one statement ({@link TaskSql#claimInbox(int)}),
 * the common case of a claim: the rows, their attempts and the trim of their history are written
 * by the server in one round trip, and the claim's transaction then only commits. When the rows
 * picked include an expired claim (its lost attempt must be recorded, and it may end blocked or
 * cancelled), the statement writes nothing and {@link TaskClaims} claims by the rows, in the same
 * transaction. When a claimed row cannot be read back (a damaged column), the transaction is
 * rolled back, so that the rows-by-rows claim reports and skips it as every other read does.
 */
final class InboxClaim {
  private final TaskSql sql;
  private final TaskTable table;

  InboxClaim(TaskSql sql, TaskTable table) {
    this.sql = sql;
    this.table = table;
  }

  /** Whether this store claims in one statement. */
  boolean available() {
    return sql.oneStatementEnds();
  }

  /**
   * Claims up to {@code max} due {@code INBOX} rows of {@code queue}, in their order; null when
   * the caller must claim by the rows instead (then nothing was written).
   */
  List<TaskRow> claim(Connection c, String queue, String worker, String incarnation, int max,
      Duration ttl) throws SQLException {
    List<TaskRow> claimed = new ArrayList<>();
    boolean unreadable = false;
    long others = 0;
    try (PreparedStatement ps = c.prepareStatement(sql.claimInbox(max))) {
      ps.setLong(1, table.offset());
      ps.setString(2, queue);
      ps.setString(3, worker);
      ps.setLong(4, Rows.micros(ttl));
      ps.setString(5, incarnation);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          others = rs.getLong(TaskSql.COLUMN_COUNT + 3);
          String id = rs.getString(2);
          if (id == null) {
            continue; // the one row of a statement that claimed nothing
          }
          TaskRow row = table.readable(rs, queue, id);
          if (row == null) {
            unreadable = true;
          } else {
            claimed.add(row);
          }
        }
      }
    }
    if (unreadable) {
      c.rollback();
      return null;
    }
    return others > 0 ? null : claimed;
  }
}
