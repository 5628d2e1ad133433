package dev.heartbeat.jdbc;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.StoreProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Reads and writes task rows and their attempt rows, on a connection its caller holds: the
 * views of rows with their attempts, the locked read of one row, and the write of a changed
 * row as a compare-and-set on its version. A row (or an attempt of it) that cannot be read is
 * reported as {@code <prefix>tasks/<queue>/<id>} and skipped.
 */
final class TaskTable {
  /** The most ids in one IN list. */
  static final int CHUNK = 500;

  private final TaskSql sql;
  private final StoreProblems problems;
  private final LongSupplier offset;

  TaskTable(TaskSql sql, StoreProblems problems, LongSupplier offset) {
    this.sql = sql;
    this.problems = problems;
    this.offset = offset;
  }

  String key(String queue, String id) {
    return sql.tasks + "/" + queue + "/" + id;
  }

  long offset() {
    return offset.getAsLong();
  }

  /** The store clock, in epoch microseconds. */
  long now(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.selectNow)) {
      ps.setLong(1, offset());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A row locked for this transaction, and the store clock; null when absent or unreadable. */
  Locked lock(Connection c, String queue, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.lockTask)) {
      ps.setLong(1, offset());
      ps.setString(2, queue);
      ps.setString(3, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        TaskRow row = readable(rs, queue, id);
        return row == null ? null : new Locked(row, rs.getLong(TaskSql.COLUMN_COUNT + 1));
      }
    }
  }

  /** A locked row and the clock of its transaction. */
  record Locked(TaskRow row, long now) {}

  /** The row as {@link TaskRow#read} reads it, or null after reporting it. */
  TaskRow readable(ResultSet rs, String queue, String id) throws SQLException {
    try {
      return TaskRow.read(rs);
    } catch (Rows.Unreadable e) {
      problems.report(key(queue, id), e.getMessage());
      return null;
    }
  }

  /** Writes a changed row; false when its version moved on (another transaction wrote it). */
  boolean tryWrite(Connection c, TaskRow row) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.writeTask)) {
      row.bindWrite(ps);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Writes changed rows in one batch; for each, whether it was written (false when its version
   * moved on). A driver that answers a batch without counts ({@code SUCCESS_NO_INFO}) wrote rows
   * this transaction holds locked, which it only does where claims lock their rows.
   */
  boolean[] tryWriteAll(Connection c, List<TaskRow> rows) throws SQLException {
    boolean[] written = new boolean[rows.size()];
    if (rows.isEmpty()) {
      return written;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.writeTask)) {
      for (TaskRow row : rows) {
        row.bindWrite(ps);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        written[i] = counts[i] == 1 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO;
      }
    }
    return written;
  }

  /** Writes a changed row it holds locked; a moved version is a lost race, run again. */
  void write(Connection c, TaskRow row) throws SQLException {
    if (!tryWrite(c, row)) {
      throw new SQLException("task " + key(row.queue, row.id()) + " changed under its lock",
          "40001");
    }
  }

  /** Records the attempts claims just started, dropping the oldest beyond the bound. */
  void startAttempts(Connection c, List<TaskRow> rows, String incarnation) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.insertAttempt)) {
      for (TaskRow row : rows) {
        ps.setString(1, row.queue);
        ps.setString(2, row.id());
        ps.setInt(3, row.attempts);
        ps.setString(4, row.worker);
        ps.setString(5, incarnation);
        ps.setLong(6, row.token);
        ps.setLong(7, row.updatedAt);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    List<TaskRow> full = rows.stream()
        .filter(r -> r.attempts > TaskView.MAX_ATTEMPTS_KEPT).toList();
    if (full.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.trimAttempts)) {
      for (TaskRow row : full) {
        ps.setString(1, row.queue);
        ps.setString(2, row.id());
        ps.setInt(3, row.attempts - TaskView.MAX_ATTEMPTS_KEPT);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Ends attempt {@code number} of a task if it still runs under {@code token} (and its record is
   * kept); the caller counts it ({@link TaskRow#count}).
   */
  void endAttempt(Connection c, TaskRow row, int number, long token, AttemptOutcome outcome,
      long endedAt, Optional<String> errorClass, Optional<String> message,
      Optional<String> stackTrace) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.endAttempt)) {
      bindEnd(ps, row, number, token, outcome, endedAt, errorClass, message, stackTrace);
      ps.executeUpdate();
    }
  }

  /**
   * Writes a row it holds locked ({@link #write}) and ends its attempt {@code number}
   * ({@link #endAttempt}); on PostgreSQL in one statement.
   */
  void writeEnded(Connection c, TaskRow row, int number, long token, AttemptOutcome outcome,
      long endedAt, Optional<String> errorClass, Optional<String> message,
      Optional<String> stackTrace) throws SQLException {
    if (sql.endAndWrite == null) {
      write(c, row);
      endAttempt(c, row, number, token, outcome, endedAt, errorClass, message, stackTrace);
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.endAndWrite)) {
      bindEnd(ps, row, number, token, outcome, endedAt, errorClass, message, stackTrace);
      row.bindWrite(ps, 9);
      if (ps.executeUpdate() != 1) {
        throw new SQLException("task " + key(row.queue, row.id()) + " changed under its lock",
            "40001");
      }
    }
  }

  private static void bindEnd(PreparedStatement ps, TaskRow row, int number, long token,
      AttemptOutcome outcome, long endedAt, Optional<String> errorClass, Optional<String> message,
      Optional<String> stackTrace) throws SQLException {
    ps.setLong(1, endedAt);
    ps.setString(2, outcome.name());
    ps.setString(3, errorClass.orElse(null));
    ps.setString(4, message.orElse(null));
    ps.setString(5, stackTrace.orElse(null));
    ps.setString(6, row.queue);
    ps.setString(7, row.id());
    ps.setInt(8, number);
    ps.setLong(9, token);
  }

  /** Ends the attempt of an expired claim, taken over by {@link TaskRow#takeOverLost}. */
  void endLost(Connection c, TaskRow row, TaskRow.Lost lost) throws SQLException {
    endLostAll(c, List.of(row), List.of(lost));
  }

  /** Ends the attempts of expired claims, {@code lost.get(i)} of {@code rows.get(i)}, as a batch. */
  void endLostAll(Connection c, List<TaskRow> rows, List<TaskRow.Lost> lost)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.endAttempt)) {
      for (int i = 0; i < rows.size(); i++) {
        TaskRow.Lost l = lost.get(i);
        bindEnd(ps, rows.get(i), l.attempt(), l.token(), AttemptOutcome.WORKER_LOST,
            l.expiredAt(), Optional.empty(), Optional.of("the claim expired"), Optional.empty());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The views of rows of one queue, with their attempts; unreadable ones reported, left out. */
  List<TaskView> views(Connection c, String queue, List<TaskRow> rows) throws SQLException {
    Map<String, List<Attempt>> attempts = new HashMap<>();
    Map<String, String> bad = new HashMap<>();
    for (int from = 0; from < rows.size(); from += CHUNK) {
      List<TaskRow> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
      try (PreparedStatement ps = c.prepareStatement(sql.attemptsOf(chunk.size()))) {
        ps.setString(1, queue);
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 2, chunk.get(i).id());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String id = rs.getString(1);
            try {
              attempts.computeIfAbsent(id, k -> new ArrayList<>()).add(TaskRow.attempt(rs));
            } catch (Rows.Unreadable e) {
              bad.putIfAbsent(id, "attempt " + rs.getInt(2) + ": " + e.getMessage());
            }
          }
        }
      }
    }
    List<TaskView> views = new ArrayList<>(rows.size());
    for (TaskRow row : rows) {
      String problem = bad.get(row.id());
      if (problem != null) {
        problems.report(key(queue, row.id()), problem);
        continue;
      }
      views.add(row.view(attempts.getOrDefault(row.id(), List.of())));
    }
    return views;
  }

  /** The view of one row, with its attempts; empty when unreadable (reported). */
  Optional<TaskView> view(Connection c, TaskRow row) throws SQLException {
    return views(c, row.queue, List.of(row)).stream().findFirst();
  }
}
