package dev.heartbeat.jdbc;

import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimEnd;
import dev.heartbeat.spi.ClaimRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The writes to one task after its submission: progress (one conditional statement), and the end
 * of an attempt, cancel and retry, each one transaction that locks the row and reads the store
 * clock in one statement, applies the in-memory store's rules to it and writes it back (a
 * compare-and-set on its version) with its attempt row (on PostgreSQL the end in one statement
 * with the attempt's: three round trips with the commit; a batch of ends one transaction, two
 * round trips an end and one commit; on PostgreSQL the DONE ends, of one or of many, one statement
 * that checks the claim in its condition, see {@link TaskSql#endDoneArrays(int)}). Every write of a claim checks worker,
 * token and expiry by the store clock; a refused one changes nothing.
 */
final class TaskWrites {
  private final TaskSql sql;
  private final Jdbc jdbc;
  private final TaskTable table;

  TaskWrites(TaskSql sql, Jdbc jdbc, TaskTable table) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.table = table;
  }

  boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
    return jdbc.transaction("progress(" + claim.queue() + ", " + claim.taskId() + ")", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.progress)) {
        ps.setString(1, progress);
        ps.setString(2, checkpoint.orElse(null));
        ps.setLong(3, table.offset());
        ps.setString(4, claim.queue());
        ps.setString(5, claim.taskId());
        ps.setString(6, claim.worker());
        ps.setLong(7, claim.token());
        ps.setLong(8, table.offset());
        return ps.executeUpdate() == 1;
      }
    });
  }

  boolean end(ClaimRef claim, AttemptEnd end) {
    if (sql.oneStatementEnds() && end.next() == TaskState.DONE) {
      return jdbc.call("end(" + claim.queue() + ", " + claim.taskId() + ")",
          c -> endDone(c, List.of(new ClaimEnd(claim, end)))).contains(0);
    }
    return jdbc.transaction("end(" + claim.queue() + ", " + claim.taskId() + ")", c -> {
      Set<String> retried = new TreeSet<>();
      boolean written = endLocked(c, claim, end, retried);
      signal(c, retried);
      return written;
    });
  }

  /**
   * The ends of many attempts in one transaction, so one commit: each row is locked and written
   * as {@link #end} does, in the order of queue and id (so that two batches never wait on each
   * other's locks in a cycle), and answered in the order asked.
   */
  List<Boolean> endAll(List<ClaimEnd> ends) {
    Boolean[] answers = new Boolean[ends.size()];
    List<Integer> others = new ArrayList<>();
    List<Integer> done = new ArrayList<>();
    for (int i = 0; i < ends.size(); i++) {
      (sql.oneStatementEnds() && ends.get(i).end().next() == TaskState.DONE ? done : others)
          .add(i);
    }
    if (!done.isEmpty()) {
      List<ClaimEnd> dones = done.stream().map(ends::get).toList();
      Set<Integer> written = jdbc.call("endAll(" + dones.size() + " done)",
          c -> endDone(c, dones));
      for (int k = 0; k < done.size(); k++) {
        answers[done.get(k)] = written.contains(k);
      }
    }
    if (!others.isEmpty()) {
      others.sort(Comparator.comparing((Integer i) -> ends.get(i).claim().queue())
          .thenComparing(i -> ends.get(i).claim().taskId()));
      jdbc.transaction("endAll(" + others.size() + " ends)", c -> {
        Set<String> retried = new TreeSet<>();
        for (int i : others) {
          answers[i] = endLocked(c, ends.get(i).claim(), ends.get(i).end(), retried);
        }
        signal(c, retried);
        return null;
      });
    }
    return List.of(answers);
  }

  /**
   * PostgreSQL: DONE ends in one statement ({@link TaskSql#endDoneArrays(int)}); returns the indexes
   * of {@code ends} that were written (the others were fenced out).
   */
  private Set<Integer> endDone(Connection c, List<ClaimEnd> ends) throws SQLException {
    int n = ends.size();
    String[] queues = new String[n];
    String[] ids = new String[n];
    String[] workers = new String[n];
    Long[] tokens = new Long[n];
    String[] outputs = new String[n];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      ClaimRef claim = ends.get(i).claim();
      queues[i] = claim.queue();
      ids[i] = claim.taskId();
      workers[i] = claim.worker();
      tokens[i] = claim.token();
      outputs[i] = ends.get(i).end().text().orElse(null);
      index.putIfAbsent(claim.queue() + "\u0000" + claim.taskId(), i);
    }
    Set<Integer> written = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql.endDoneArrays(n))) {
      ps.setArray(1, c.createArrayOf("text", queues));
      ps.setArray(2, c.createArrayOf("text", ids));
      ps.setArray(3, c.createArrayOf("text", workers));
      ps.setArray(4, c.createArrayOf("bigint", tokens));
      ps.setArray(5, c.createArrayOf("text", outputs));
      ps.setLong(6, table.offset());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Integer i = index.get(rs.getString(1) + "\u0000" + rs.getString(2));
          if (i != null) {
            written.add(i);
          }
        }
      }
    }
    return written;
  }

  /**
   * Ends the attempt of {@code claim} in transaction {@code c} when the claim still holds the row
   * (locked here); adds its queue to {@code retried} when the task is due again.
   */
  private boolean endLocked(Connection c, ClaimRef claim, AttemptEnd end, Set<String> retried)
      throws SQLException {
    TaskTable.Locked locked = table.lock(c, claim.queue(), claim.taskId());
    if (locked == null || !locked.row().heldBy(claim.worker(), claim.token(), locked.now())) {
      return false;
    }
    TaskRow row = locked.row();
    long now = locked.now();
    int attempt = row.attempts;
    long token = row.token;
    row.count(end.outcome());
    TaskState next = end.next();
    if (next == TaskState.INBOX && row.cancelRequested) {
      next = TaskState.CANCELLED; // a cancel asked after the last renewal is not lost
      row.reason = TaskRow.CANCEL_REASON;
    }
    switch (next) {
      case DONE -> row.output = end.text().orElse(null);
      case INBOX -> row.dueAt = TaskRow.after(now, end.retryIn());
      case BLOCKED -> row.reason = end.text().orElseThrow();
      case CANCELLED -> row.reason = end.text().orElse(row.reason);
      case IN_PROGRESS -> throw new IllegalStateException("unreachable: " + end);
    }
    row.leave(next, now);
    table.writeEnded(c, row, attempt, token, end.outcome(), now, end.errorClass(),
        end.message(), end.stackTrace());
    if (next == TaskState.INBOX) {
      retried.add(claim.queue());
    }
    return true;
  }

  Optional<TaskView> cancel(String queue, String id) {
    return jdbc.transaction("cancel(" + queue + ", " + id + ")", c -> {
      TaskTable.Locked locked = table.lock(c, queue, id);
      if (locked == null || locked.row().state.isFinal()) {
        return Optional.empty();
      }
      TaskRow row = locked.row();
      long now = locked.now();
      TaskRow.Lost lost = null;
      if (row.state == TaskState.INBOX) {
        row.reason = TaskRow.CANCEL_REASON;
        row.leave(TaskState.CANCELLED, now);
      } else if (row.claimExpired(now)) {
        row.cancelRequested = true;
        lost = row.takeOverLost(now); // nobody holds it: cancelled at once
      } else if (!row.cancelRequested) {
        row.cancelRequested = true;
        row.updatedAt = now;
      } else {
        return table.view(c, row);
      }
      table.write(c, row);
      if (lost != null) {
        table.endLost(c, row, lost);
      }
      return table.view(c, row);
    });
  }

  Optional<TaskView> retry(String queue, String id) {
    return jdbc.transaction("retry(" + queue + ", " + id + ")", c -> {
      TaskTable.Locked locked = table.lock(c, queue, id);
      if (locked == null || locked.row().state != TaskState.BLOCKED) {
        return Optional.empty();
      }
      TaskRow row = locked.row();
      long now = locked.now();
      row.failures = 0;
      row.lost = 0;
      row.reason = null;
      row.cancelRequested = false;
      row.dueAt = now;
      row.leave(TaskState.INBOX, now);
      table.write(c, row);
      signal(c, queue);
      return table.view(c, row);
    });
  }

  private void signal(Connection c, Set<String> queues) throws SQLException {
    for (String queue : queues) {
      signal(c, queue);
    }
  }

  /** PostgreSQL: the queue is signalled when this transaction commits ({@link PgSignals}). */
  private void signal(Connection c, String queue) throws SQLException {
    if (sql.notify == null) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.notify)) {
      ps.setString(1, queue);
      ps.execute();
    }
  }
}
