package dev.heartbeat.jdbc;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.StoreProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Reads and writes task rows and their attempt rows, on a connection its caller holds: the
 * reads of the task queries, the locked read of one row, and the write of a changed
 * row as a compare-and-set on its version. A row (or an attempt of it) that cannot be read is
 * reported as {@code <prefix>tasks/<queue>/<id>} and skipped.
 */
final class TaskTable {
  /** The most ids in one IN list. */
  static final int CHUNK = 500;

  private final TaskSql sql;
  private final Jdbc jdbc;
  private final StoreProblems problems;
  private final LongSupplier offset;

  TaskTable(TaskSql sql, Jdbc jdbc, StoreProblems problems, LongSupplier offset) {
    this.sql = sql;
    this.jdbc = jdbc;
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

  /** Writes a changed row it holds locked; a moved version is a lost race, run again. */
  void write(Connection c, TaskRow row) throws SQLException {
    if (!tryWrite(c, row)) {
      throw new SQLException("task " + key(row.queue, row.id()) + " changed under its lock",
          "40001");
    }
  }

  /** Records the attempt a claim just started, dropping the oldest beyond the bound. */
  void startAttempt(Connection c, TaskRow row, String incarnation) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.insertAttempt)) {
      ps.setString(1, row.queue);
      ps.setString(2, row.id());
      ps.setInt(3, row.attempts);
      ps.setString(4, row.worker);
      ps.setString(5, incarnation);
      ps.setLong(6, row.token);
      ps.setLong(7, row.updatedAt);
      ps.executeUpdate();
    }
    int oldest = row.attempts - TaskView.MAX_ATTEMPTS_KEPT;
    if (oldest >= 1) {
      try (PreparedStatement ps = c.prepareStatement(sql.trimAttempts)) {
        ps.setString(1, row.queue);
        ps.setString(2, row.id());
        ps.setInt(3, oldest);
        ps.executeUpdate();
      }
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
      ps.setLong(1, endedAt);
      ps.setString(2, outcome.name());
      ps.setString(3, errorClass.orElse(null));
      ps.setString(4, message.orElse(null));
      ps.setString(5, stackTrace.orElse(null));
      ps.setString(6, row.queue);
      ps.setString(7, row.id());
      ps.setInt(8, number);
      ps.setLong(9, token);
      ps.executeUpdate();
    }
  }

  /** Ends the attempt of an expired claim, taken over by {@link TaskRow#takeOverLost}. */
  void endLost(Connection c, TaskRow row, TaskRow.Lost lost) throws SQLException {
    endAttempt(c, row, lost.attempt(), lost.token(), AttemptOutcome.WORKER_LOST, lost.expiredAt(),
        Optional.empty(), Optional.of("the claim expired"), Optional.empty());
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

  Optional<TaskView> read(String queue, String id) {
    return jdbc.transaction("read(" + queue + ", " + id + ")", c -> {
      TaskRow row;
      try (PreparedStatement ps = c.prepareStatement(sql.selectTask)) {
        ps.setString(1, queue);
        ps.setString(2, id);
        try (ResultSet rs = ps.executeQuery()) {
          row = rs.next() ? readable(rs, queue, id) : null;
        }
      }
      return row == null ? Optional.empty() : view(c, row);
    });
  }

  List<TaskView> list(String queue, TaskState state, int limit) {
    return jdbc.transaction("list(" + queue + ", " + state + ")", c -> {
      List<TaskRow> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.list)) {
        ps.setString(1, queue);
        ps.setString(2, state.name());
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            TaskRow row = readable(rs, queue, rs.getString(2));
            if (row != null) {
              rows.add(row);
            }
          }
        }
      }
      return rows.isEmpty() ? List.of() : views(c, queue, rows);
    });
  }

  TaskCounts counts(String queue) {
    return jdbc.call("counts(" + queue + ")", c -> {
      Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
      try (PreparedStatement ps = c.prepareStatement(sql.counts)) {
        ps.setString(1, queue);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String state = rs.getString(1);
            for (TaskState s : TaskState.values()) { // an unknown state is counted nowhere
              if (s.name().equals(state)) {
                counts.put(s, rs.getLong(2));
              }
            }
          }
        }
      }
      return new TaskCounts(counts);
    });
  }
}
