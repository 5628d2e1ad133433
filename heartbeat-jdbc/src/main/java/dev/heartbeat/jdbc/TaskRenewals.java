package dev.heartbeat.jdbc;

import dev.heartbeat.TaskState;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batch renewal of claims, set-based, per chunk of {@value TaskTable#CHUNK} claims: on
 * PostgreSQL one {@code UPDATE ... FROM unnest(...) RETURNING} ({@link TaskSql#renewArrays});
 * elsewhere one transaction that locks the claimed rows in key order and reads the store clock
 * (one statement), then extends the held ones in one statement per distinct expiry (one, when
 * the worker renews with one ttl). A claim is held when its row is {@code IN_PROGRESS} under its
 * worker and token and not expired at that clock; the update is a compare-and-set on the token
 * of rows this transaction holds locked. Answers come back in the order of the renewals.
 */
final class TaskRenewals {
  private final TaskSql sql;
  private final Jdbc jdbc;
  private final TaskTable table;

  TaskRenewals(TaskSql sql, Jdbc jdbc, TaskTable table) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.table = table;
  }

  /** The state of one claimed row as the lock read it. */
  private record Claimed(TaskState state, String worker, long token, long expiresAt,
      boolean cancelRequested) {}

  List<ClaimAnswer> renew(List<ClaimRenewal> renewals) {
    List<ClaimAnswer> answers = new ArrayList<>(renewals.size());
    for (int from = 0; from < renewals.size(); from += TaskTable.CHUNK) {
      List<ClaimRenewal> chunk = renewals.subList(from,
          Math.min(renewals.size(), from + TaskTable.CHUNK));
      answers.addAll(jdbc.transaction("renewClaims(" + chunk.size() + ")", c -> chunk(c, chunk)));
    }
    return answers;
  }

  private List<ClaimAnswer> chunk(Connection c, List<ClaimRenewal> chunk) throws SQLException {
    Map<String, ClaimRef> keys = new LinkedHashMap<>();
    for (ClaimRenewal r : chunk) {
      keys.putIfAbsent(key(r.claim().queue(), r.claim().taskId()), r.claim());
    }
    if (sql.renewArrays != null && keys.size() == chunk.size()) {
      return arrays(c, chunk); // one task renewed twice in a chunk takes the general way
    }
    Map<String, Claimed> rows = new HashMap<>();
    long now = lock(c, List.copyOf(keys.values()), rows);
    List<ClaimAnswer> answers = new ArrayList<>(chunk.size());
    Map<Long, Map<String, ClaimRef>> byExpiry = new LinkedHashMap<>();
    for (ClaimRenewal r : chunk) {
      ClaimRef claim = r.claim();
      String key = key(claim.queue(), claim.taskId());
      Claimed row = rows.get(key);
      if (row == null || row.state() != TaskState.IN_PROGRESS
          || !claim.worker().equals(row.worker()) || row.token() != claim.token()
          || now >= row.expiresAt()) {
        answers.add(ClaimAnswer.LOST);
        continue;
      }
      long expiresAt = TaskRow.after(now, r.ttl());
      rows.put(key, new Claimed(row.state(), row.worker(), row.token(), expiresAt,
          row.cancelRequested()));
      for (Map<String, ClaimRef> group : byExpiry.values()) {
        group.remove(key); // renewed twice in one batch: the last renewal counts
      }
      byExpiry.computeIfAbsent(expiresAt, e -> new LinkedHashMap<>()).put(key, claim);
      answers.add(new ClaimAnswer(Optional.of(TaskRow.instant(expiresAt)),
          row.cancelRequested()));
    }
    for (Map.Entry<Long, Map<String, ClaimRef>> group : byExpiry.entrySet()) {
      if (!group.getValue().isEmpty()) {
        extend(c, group.getKey(), now, List.copyOf(group.getValue().values()));
      }
    }
    return answers;
  }

  /** PostgreSQL: the chunk in one statement ({@link TaskSql#renewArrays}). */
  private List<ClaimAnswer> arrays(Connection c, List<ClaimRenewal> chunk) throws SQLException {
    int n = chunk.size();
    String[] queues = new String[n];
    String[] ids = new String[n];
    String[] workers = new String[n];
    Long[] tokens = new Long[n];
    Long[] ttls = new Long[n];
    for (int i = 0; i < n; i++) {
      ClaimRef claim = chunk.get(i).claim();
      queues[i] = claim.queue();
      ids[i] = claim.taskId();
      workers[i] = claim.worker();
      tokens[i] = claim.token();
      ttls[i] = Rows.micros(chunk.get(i).ttl());
    }
    Map<String, ClaimAnswer> renewed = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql.renewArrays)) {
      ps.setArray(1, c.createArrayOf("text", queues));
      ps.setArray(2, c.createArrayOf("text", ids));
      ps.setArray(3, c.createArrayOf("text", workers));
      ps.setArray(4, c.createArrayOf("bigint", tokens));
      ps.setArray(5, c.createArrayOf("bigint", ttls));
      ps.setLong(6, table.offset());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          renewed.put(key(rs.getString(1), rs.getString(2)), new ClaimAnswer(
              Optional.of(TaskRow.instant(rs.getLong(3))), rs.getBoolean(4)));
        }
      }
    }
    List<ClaimAnswer> answers = new ArrayList<>(n);
    for (ClaimRenewal r : chunk) {
      answers.add(renewed.getOrDefault(key(r.claim().queue(), r.claim().taskId()),
          ClaimAnswer.LOST));
    }
    return answers;
  }

  /** Locks the rows of {@code claims}, fills {@code rows}; returns the store clock it read. */
  private long lock(Connection c, List<ClaimRef> claims, Map<String, Claimed> rows)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.lockClaims(claims.size()))) {
      int i = 1;
      ps.setLong(i++, table.offset());
      for (ClaimRef claim : claims) {
        ps.setString(i++, claim.queue());
        ps.setString(i++, claim.taskId());
      }
      long now = Long.MIN_VALUE; // no row: every claim is lost, whatever the clock
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          now = rs.getLong(1);
          long expires = rs.getLong(7);
          boolean noExpiry = rs.wasNull();
          String state = rs.getString(4);
          if (!TaskState.IN_PROGRESS.name().equals(state) || noExpiry) {
            continue; // not held, or unreadable: the claim is lost
          }
          rows.put(key(rs.getString(2), rs.getString(3)), new Claimed(TaskState.IN_PROGRESS,
              rs.getString(5), rs.getLong(6), expires, rs.getBoolean(8)));
        }
      }
      return now;
    }
  }

  private void extend(Connection c, long expiresAt, long now, List<ClaimRef> claims)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.renewClaims(claims.size()))) {
      int i = 1;
      ps.setLong(i++, expiresAt);
      ps.setLong(i++, expiresAt);
      ps.setLong(i++, now);
      for (ClaimRef claim : claims) {
        ps.setString(i++, claim.queue());
        ps.setString(i++, claim.taskId());
        ps.setLong(i++, claim.token());
      }
      int updated = ps.executeUpdate();
      if (updated != claims.size()) {
        throw new SQLException("renewed " + updated + " of " + claims.size()
            + " claims held under lock", "40001");
      }
    }
  }

  private static String key(String queue, String id) {
    return queue.length() + ":" + queue + "/" + id;
  }
}
