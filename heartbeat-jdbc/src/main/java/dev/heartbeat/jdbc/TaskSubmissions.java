package dev.heartbeat.jdbc;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.StoreProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where tasks come in and go: submit and prune, and the token floor between them. A submit is
 * one transaction that inserts the row unless its id is there ({@code ON CONFLICT DO NOTHING},
 * {@code INSERT IGNORE}, or on H2 a plain insert whose duplicate key is a lost race run again)
 * and, when it inserted, takes up the id's reserved token; a submit that found the id reads the
 * stored task in a fresh statement. On PostgreSQL the insert reads the clock and yields the row
 * itself, and it is sent with the take-up of the reservation as one query that the server runs
 * in one implicit transaction: one round trip.
 * Prune deletes final rows oldest first, at most
 * {@value #STEP} per transaction, each leaving its last token reserved in {@code task_tokens}
 * (taken up and deleted by the id's next submit), so that tokens only grow.
 */
final class TaskSubmissions {
  /** The most rows one prune transaction deletes. */
  static final int STEP = 100;
  /** How often a submit that found the id but could not read it (pruned meanwhile) tries. */
  private static final int TRIES = 3;

  private final TaskSql sql;
  private final Jdbc jdbc;
  private final TaskTable table;
  private final TaskReads reads;
  private final StoreProblems problems;

  TaskSubmissions(TaskSql sql, Jdbc jdbc, TaskTable table, TaskReads reads,
      StoreProblems problems) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.table = table;
    this.reads = reads;
    this.problems = problems;
  }

  TaskView submit(String queue, TaskSpec spec) {
    String operation = "submit(" + queue + ", " + spec.id() + ")";
    for (int i = 0; i < TRIES; i++) {
      Optional<TaskView> inserted = sql.submitTask != null
          ? jdbc.call(operation, c -> submitAtOnce(c, queue, spec))
          : jdbc.transaction(operation, c -> insert(c, queue, spec));
      if (inserted.isPresent()) {
        problems.repaired(table.key(queue, spec.id()));
        return inserted.get();
      }
      Optional<TaskView> existing = reads.read(queue, spec.id());
      if (existing.isPresent()) {
        return existing.get();
      }
    }
    throw new HeartbeatStoreException(jdbc.store(), operation, "task '" + spec.id()
        + "' of queue '" + queue + "' is stored but cannot be read: see the store's problems");
  }

  /** The inserted task, or empty when the id was there. */
  private Optional<TaskView> insert(Connection c, String queue, TaskSpec spec)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.selectTask)) {
      ps.setString(1, queue);
      ps.setString(2, spec.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return Optional.empty();
        }
      }
    }
    long now = table.now(c);
    try (PreparedStatement ps = c.prepareStatement(sql.insertTask)) {
      bindSpec(ps, queue, spec);
      ps.setLong(10, now);
      ps.setLong(11, now);
      ps.setLong(12, now);
      ps.setLong(13, now);
      if (ps.executeUpdate() != 1) {
        return Optional.empty();
      }
    }
    Long reserved = null;
    try (PreparedStatement ps = c.prepareStatement(sql.lockReservation)) {
      ps.setString(1, queue);
      ps.setString(2, spec.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          reserved = rs.getLong(1);
        }
      }
    }
    if (reserved != null) {
      try (PreparedStatement ps = c.prepareStatement(sql.setToken)) {
        ps.setLong(1, reserved);
        ps.setString(2, queue);
        ps.setString(3, spec.id());
        ps.executeUpdate();
      }
      delete(c, sql.deleteReservation, queue, List.of(spec.id()));
    }
    TaskTable.Locked locked = table.lock(c, queue, spec.id());
    if (locked == null) {
      throw new SQLException("task just inserted is unreadable: " + spec.id());
    }
    return table.view(c, locked.row());
  }

  /**
   * PostgreSQL: the insert, which yields the row at the store clock, and the take-up of the
   * reserved token, sent as one query in auto-commit mode, so that the server runs both in one
   * implicit transaction and commits them together: one round trip. The take-up is the second
   * statement, with a snapshot of its own, so that a prune that committed while the insert waited
   * for its row is seen.
   */
  private Optional<TaskView> submitAtOnce(Connection c, String queue, TaskSpec spec)
      throws SQLException {
    TaskRow row = null;
    boolean inserted = false;
    try (PreparedStatement ps = c.prepareStatement(sql.submitTask)) {
      bindSpec(ps, queue, spec);
      for (int i = 10; i <= 13; i++) {
        ps.setLong(i, table.offset());
      }
      ps.setString(14, queue); // the signal's payload
      ps.setString(15, queue);
      ps.setString(16, spec.id());
      ps.setString(17, queue);
      ps.setString(18, spec.id());
      if (!ps.execute()) {
        throw new SQLException("the submit's insert returned no result set");
      }
      try (ResultSet rs = ps.getResultSet()) {
        if (rs.next()) {
          inserted = true;
          row = table.readable(rs, queue, spec.id());
        }
      }
      if (ps.getMoreResults()) {
        try (ResultSet rs = ps.getResultSet()) {
          if (rs.next() && row != null) {
            row.token = rs.getLong(1);
          }
        }
      }
    }
    if (!inserted) {
      return Optional.empty();
    }
    if (row == null) {
      throw new SQLException("task just inserted is unreadable: " + spec.id());
    }
    return Optional.of(row.view(List.of())); // a new row has no attempts
  }

  private static void bindSpec(PreparedStatement ps, String queue, TaskSpec spec)
      throws SQLException {
    ps.setString(1, queue);
    ps.setString(2, spec.id());
    ps.setString(3, spec.payload());
    ps.setString(4, spec.attemptTimeout().toString());
    ps.setString(5, spec.progressTimeout().toString());
    ps.setInt(6, spec.maxAttempts());
    ps.setInt(7, spec.maxLost());
    ps.setString(8, spec.retryDelay().toString());
    ps.setString(9, spec.maxRetryDelay().toString());
  }

  int prune(String queue, long before, int limit) {
    int deleted = 0;
    while (deleted < limit) { // bounded: each step deletes STEP rows or ends the loop
      int step = Math.min(STEP, limit - deleted);
      int n = jdbc.transaction("prune(" + queue + ")", c -> pruneStep(c, queue, before, step));
      deleted += n;
      if (n < step) {
        break;
      }
    }
    return deleted;
  }

  private int pruneStep(Connection c, String queue, long before, int step) throws SQLException {
    List<String> ids = new ArrayList<>();
    List<Long> tokens = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.pruneCandidates)) {
      ps.setString(1, queue);
      ps.setLong(2, before);
      ps.setInt(3, step);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
          long token = rs.getLong(2);
          tokens.add(rs.wasNull() ? 0L : token);
        }
      }
    }
    if (ids.isEmpty()) {
      return 0;
    }
    delete(c, sql.deleteReservation, queue, ids);
    try (PreparedStatement ps = c.prepareStatement(sql.insertReservation)) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setLong(1, tokens.get(i));
        ps.setString(2, queue);
        ps.setString(3, ids.get(i));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    delete(c, sql.deleteAttempts, queue, ids);
    delete(c, sql.deleteTask, queue, ids);
    return ids.size();
  }

  /** Runs a delete by queue and id for each of {@code ids}, as one batch. */
  private static void delete(Connection c, String statement, String queue, List<String> ids)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      for (String id : ids) {
        ps.setString(1, queue);
        ps.setString(2, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
