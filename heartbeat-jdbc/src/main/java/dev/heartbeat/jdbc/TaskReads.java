package dev.heartbeat.jdbc;

import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The task queries: one task, the tasks of a state, the counts per state. A task and its attempts
 * are read in one transaction; unreadable rows are reported and skipped ({@link TaskTable}).
 */
final class TaskReads {
  private final TaskSql sql;
  private final Jdbc jdbc;
  private final TaskTable table;

  TaskReads(TaskSql sql, Jdbc jdbc, TaskTable table) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.table = table;
  }

  Optional<TaskView> read(String queue, String id) {
    return jdbc.transaction("read(" + queue + ", " + id + ")", c -> {
      TaskRow row;
      try (PreparedStatement ps = c.prepareStatement(sql.selectTask)) {
        ps.setString(1, queue);
        ps.setString(2, id);
        try (ResultSet rs = ps.executeQuery()) {
          row = rs.next() ? table.readable(rs, queue, id) : null;
        }
      }
      return row == null ? Optional.empty() : table.view(c, row);
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
            TaskRow row = table.readable(rs, queue, rs.getString(2));
            if (row != null) {
              rows.add(row);
            }
          }
        }
      }
      return rows.isEmpty() ? List.of() : table.views(c, queue, rows);
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
