package dev.heartbeat.jdbc;

import dev.heartbeat.Attempt;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.TaskClaim;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Claims of due tasks, many in one transaction: it selects, by the store clock it reads in the
 * same statement, the claimable rows of the queue oldest first ({@code claimable_at <= now}: due
 * {@code INBOX} rows and expired claims, one range of the claim index) with
 * {@code FOR UPDATE SKIP LOCKED} on PostgreSQL and MariaDB, so that concurrent claimers take
 * disjoint rows without waiting, and without a lock on H2. The rows are then written in one
 * batch, each a compare-and-set on its version (on H2 a row another claimer took first is
 * skipped), and their attempt rows after them, a batch per kind: the attempts of expired claims
 * ended as {@code WORKER_LOST} ({@link TaskRow#takeOverLost}) and the new ones recorded. The
 * views of first attempts are built from what was written; only tasks with earlier attempts have
 * theirs read. Four round trips with the commit, however many rows (two for an empty queue).
 * Rows that end blocked or cancelled do not count; the select is repeated, at most
 * {@value #ROUNDS} times, until {@code max} rows are claimed or none is left. On PostgreSQL a claim
 * that finds only due {@code INBOX} rows is one statement and the commit ({@link InboxClaim});
 * this claim by the rows is what it falls back to.
 */
final class TaskClaims {
  /** The most selects of one claim. */
  static final int ROUNDS = 8;

  private final TaskSql sql;
  private final Jdbc jdbc;
  private final TaskTable table;
  private final InboxClaim inbox;

  TaskClaims(TaskSql sql, Jdbc jdbc, TaskTable table) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.table = table;
    this.inbox = new InboxClaim(sql, table);
  }

  List<TaskClaim> claim(String queue, String worker, String incarnation, int max, Duration ttl) {
    return jdbc.transaction("claim(" + queue + ", " + worker + ")", c -> {
      if (inbox.available()) {
        List<TaskRow> claimed = inbox.claim(c, queue, worker, incarnation, max, ttl);
        if (claimed != null) {
          return claims(c, queue, worker, incarnation, claimed);
        }
      }
      long[] clock = {Long.MIN_VALUE}; // the store clock, which the first select reads
      List<TaskRow> claimed = new ArrayList<>();
      Set<String> skipped = new HashSet<>();
      for (int round = 0; round < ROUNDS && claimed.size() < max; round++) {
        int limit = max - claimed.size() + skipped.size();
        List<TaskRow> rows = new ArrayList<>();
        boolean more = candidates(c, round == 0, queue, clock, limit, skipped, rows);
        if (clock[0] == Long.MIN_VALUE) {
          break; // nothing claimable
        }
        take(c, rows, max - claimed.size(), worker, incarnation, clock[0],
            TaskRow.after(clock[0], ttl), claimed, skipped);
        if (!more) {
          break;
        }
      }
      return claims(c, queue, worker, incarnation, claimed);
    });
  }

  /**
   * The claims of the rows just claimed, in their order. A first attempt's view is built here
   * (its one attempt row is the one just inserted); only rows with earlier attempts are read.
   */
  private List<TaskClaim> claims(Connection c, String queue, String worker, String incarnation,
      List<TaskRow> claimed) throws SQLException {
    List<TaskRow> earlier = claimed.stream().filter(r -> r.attempts > 1).toList();
    Map<String, TaskView> read = new HashMap<>();
    for (TaskView view : table.views(c, queue, earlier)) {
      read.put(view.id(), view);
    }
    List<TaskClaim> claims = new ArrayList<>(claimed.size());
    for (TaskRow row : claimed) {
      TaskView view = row.attempts > 1 ? read.get(row.id()) : row.view(List.of(new Attempt(1,
          worker, incarnation, row.token, Rows.instant(row.updatedAt), Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())));
      if (view != null) { // null: an earlier attempt is unreadable (reported)
        claims.add(new TaskClaim(view, new ClaimRef(queue, view.id(), worker, view.token())));
      }
    }
    return claims;
  }

  /**
   * Takes up to {@code want} of {@code rows} in their order, as the in-memory store does: an
   * expired claim is taken over first ({@link TaskRow#takeOverLost}), and one that ends poison or
   * cancelled is written so and does not count. The rows are written in one batch, then the
   * attempts of the written ones in one batch each (the lost ones ended, the new ones started).
   * A row whose write found its version moved (H2: another claimer took it first) is skipped,
   * like a row that was not claimed.
   */
  private void take(Connection c, List<TaskRow> rows, int want, String worker,
      String incarnation, long now, long expiresAt, List<TaskRow> claimed, Set<String> skipped)
      throws SQLException {
    List<TaskRow> writes = new ArrayList<>();
    List<TaskRow.Lost> losts = new ArrayList<>();
    int taking = 0;
    for (TaskRow row : rows) {
      if (taking >= want) {
        break;
      }
      TaskRow.Lost lost = row.state == TaskState.IN_PROGRESS ? row.takeOverLost(now) : null;
      if (row.state == TaskState.INBOX) {
        row.claim(worker, now, expiresAt);
        taking++;
      }
      writes.add(row);
      losts.add(lost);
    }
    boolean[] written = table.tryWriteAll(c, writes);
    List<TaskRow> ended = new ArrayList<>();
    List<TaskRow.Lost> endedLost = new ArrayList<>();
    List<TaskRow> started = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      TaskRow row = writes.get(i);
      if (written[i] && losts.get(i) != null) {
        ended.add(row);
        endedLost.add(losts.get(i));
      }
      if (written[i] && row.state == TaskState.IN_PROGRESS) {
        started.add(row);
        claimed.add(row);
      } else {
        skipped.add(row.id());
      }
    }
    table.endLostAll(c, ended, endedLost);
    table.startAttempts(c, started, incarnation);
  }

  /**
   * Up to {@code limit} claimable rows, oldest first, but those in {@code skipped}; unreadable
   * ones are reported and added to {@code skipped}, so that the next round asks for more. The
   * first select reads the store clock into {@code clock[0]} (left alone when it finds no row);
   * later ones select by it. Returns whether there may be more (the select returned
   * {@code limit} rows).
   */
  private boolean candidates(Connection c, boolean first, String queue, long[] clock, int limit,
      Set<String> skipped, List<TaskRow> rows) throws SQLException {
    int seen = 0;
    try (PreparedStatement ps = c.prepareStatement(first ? sql.claimCandidates
        : sql.candidates)) {
      if (first) {
        ps.setLong(1, table.offset());
        ps.setString(2, queue);
        ps.setLong(3, table.offset());
        ps.setInt(4, limit);
      } else {
        ps.setString(1, queue);
        ps.setLong(2, clock[0]);
        ps.setInt(3, limit);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seen++;
          if (first) {
            clock[0] = rs.getLong(TaskSql.COLUMN_COUNT + 1);
          }
          String id = rs.getString(2);
          if (skipped.contains(id)) {
            continue;
          }
          TaskRow row = table.readable(rs, queue, id);
          if (row == null) {
            skipped.add(id);
          } else {
            rows.add(row);
          }
        }
      }
    }
    return seen >= limit;
  }
}
