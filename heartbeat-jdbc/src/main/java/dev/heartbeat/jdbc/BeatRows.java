package dev.heartbeat.jdbc;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.StoreProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * MariaDB: many beats in one short transaction per {@link BeatBatch#CHUNK}, whatever their
 * number: one locking read of the agents' rows (in id order, so overlapping batches queue) with
 * the database clock, the rule of a single beat applied to each, then one multi-row upsert of the
 * rows that change, one multi-row insert of their history, one of their events, one JDBC batch
 * of trims, and the commit. Each beat is applied by the rule of {@link AgentTable#record}; the
 * beats of one agent go in rounds, as in {@link BeatBatch}.
 */
final class BeatRows {
  private final Sql sql;
  private final Jdbc jdbc;
  private final StoreProblems problems;
  private final LongSupplier offset;
  private final int historyLimit;
  private final int trimEvery;

  BeatRows(Sql sql, Jdbc jdbc, StoreProblems problems, LongSupplier offset, int historyLimit,
      int trimEvery) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.problems = problems;
    this.offset = offset;
    this.historyLimit = historyLimit;
    this.trimEvery = trimEvery;
  }

  /** What {@link AgentTable#record} returns for each beat, in order. */
  List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    List<Optional<Heartbeat>> out = new ArrayList<>(beats.size());
    for (int i = 0; i < beats.size(); i++) {
      out.add(Optional.empty());
    }
    for (List<Integer> round : BeatBatch.rounds(beats)) {
      for (int from = 0; from < round.size(); from += BeatBatch.CHUNK) {
        List<Integer> chunk = round.subList(from, Math.min(round.size(), from + BeatBatch.CHUNK));
        jdbc.transaction("recordAll(" + chunk.size() + " beats)", c -> {
          record(c, beats, chunk, out);
          return null;
        });
      }
    }
    return out;
  }

  private void record(Connection c, List<Beat> beats, List<Integer> chunk,
      List<Optional<Heartbeat>> out) throws SQLException {
    Map<String, Heartbeat> stored = new HashMap<>();
    long now = lock(c, beats, chunk, stored);
    List<Heartbeat> applied = new ArrayList<>();
    List<Beat> appliedBeats = new ArrayList<>();
    for (int position : chunk) {
      Beat beat = beats.get(position);
      Heartbeat previous = stored.get(beat.agentId());
      if (previous == null) {
        continue; // unknown, or unreadable (reported): empty, as a single beat answers
      }
      if (!newer(previous, beat)) {
        out.set(position, Optional.of(previous));
        continue;
      }
      Heartbeat h = new Heartbeat(beat.agentId(), beat.incarnation(), beat.sequence(),
          beat.taskId(), beat.status(), beat.cpu(), beat.progress(),
          beat.newProgress() ? Optional.of(Rows.instant(now)) : previous.progressAt(),
          Rows.instant(now), beat.interval());
      applied.add(h);
      appliedBeats.add(beat);
      out.set(position, Optional.of(h));
    }
    if (applied.isEmpty()) {
      return;
    }
    write(c, upsert(applied.size()), applied, true);
    write(c, history(applied.size()), applied, false);
    List<Heartbeat> progressed = new ArrayList<>();
    List<String> trimming = new ArrayList<>();
    List<Boolean> trimmingProgressed = new ArrayList<>();
    for (int i = 0; i < applied.size(); i++) {
      Beat beat = appliedBeats.get(i);
      if (beat.newProgress()) {
        progressed.add(applied.get(i));
      }
      if (beat.sequence() % trimEvery == 0) {
        trimming.add(beat.agentId());
      }
    }
    if (!progressed.isEmpty()) {
      events(c, progressed);
    }
    if (!trimming.isEmpty()) {
      trim(c, trimming);
    }
  }

  private static boolean newer(Heartbeat stored, Beat beat) {
    return stored.incarnation().equals(beat.incarnation()) && stored.sequence() < beat.sequence()
        && stored.status() != AgentStatus.LEFT;
  }

  /** Locks the chunk's rows in id order; the readable ones into {@code stored}; the clock. */
  private long lock(Connection c, List<Beat> beats, List<Integer> chunk,
      Map<String, Heartbeat> stored) throws SQLException {
    String query = "SELECT id, " + Sql.AGENT_COLUMNS + ", last_seen_at, " + sql.now + " FROM "
        + sql.agents + " WHERE id IN (" + "?, ".repeat(chunk.size() - 1) + "?) ORDER BY id"
        + " FOR UPDATE";
    long now = Long.MIN_VALUE;
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setLong(1, offset.getAsLong());
      for (int i = 0; i < chunk.size(); i++) {
        ps.setString(2 + i, beats.get(chunk.get(i)).agentId());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          now = rs.getLong(11);
          try {
            stored.put(rs.getString(1), Rows.heartbeat(rs));
          } catch (Rows.Unreadable e) {
            problems.report(sql.agents + "/" + rs.getString(1), e.getMessage());
          }
        }
      }
    }
    return now;
  }

  private String upsert(int rows) {
    return "INSERT INTO " + sql.agents + " (" + Sql.AGENT_COLUMNS + ", last_seen_at, id) VALUES "
        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ".repeat(rows - 1) + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON DUPLICATE KEY UPDATE incarnation = VALUES(incarnation), seq = VALUES(seq),"
        + " task_id = VALUES(task_id), status = VALUES(status), cpu = VALUES(cpu),"
        + " progress = VALUES(progress), progress_at = VALUES(progress_at),"
        + " interval_us = VALUES(interval_us), last_seen_at = VALUES(last_seen_at)";
  }

  private String history(int rows) {
    return "INSERT INTO " + sql.heartbeats + " (" + Sql.AGENT_COLUMNS + ", recorded_at, agent_id)"
        + " VALUES " + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ".repeat(rows - 1)
        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  }

  /** Binds each row's incarnation, seq, task, status, cpu, progress, progress_at, interval, at, id. */
  private static void write(Connection c, String statement, List<Heartbeat> rows,
      boolean upsert) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      int p = 1;
      for (Heartbeat h : rows) {
        ps.setString(p++, h.incarnation());
        ps.setLong(p++, h.sequence());
        ps.setString(p++, h.taskId().orElse(null));
        ps.setString(p++, h.status().name());
        ps.setDouble(p++, Rows.cpu(h));
        ps.setString(p++, h.progress().orElse(null));
        if (h.progressAt().isPresent()) {
          ps.setLong(p++, Rows.micros(h.progressAt().get()));
        } else {
          ps.setNull(p++, Types.BIGINT);
        }
        if (h.interval().isPresent()) {
          ps.setLong(p++, Rows.micros(h.interval().get()));
        } else {
          ps.setNull(p++, Types.BIGINT);
        }
        ps.setLong(p++, Rows.micros(h.at()));
        ps.setString(p++, h.agentId());
      }
      int changed = ps.executeUpdate();
      if (!upsert && changed != rows.size()) {
        throw new SQLException("inserted " + changed + " of " + rows.size() + " rows");
      }
    }
  }

  private void events(Connection c, List<Heartbeat> rows) throws SQLException {
    String statement = "INSERT INTO " + sql.events + " (incarnation, seq, task_id, progress,"
        + " recorded_at, agent_id) VALUES " + "(?, ?, ?, ?, ?, ?), ".repeat(rows.size() - 1)
        + "(?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      int p = 1;
      for (Heartbeat h : rows) {
        ps.setString(p++, h.incarnation());
        ps.setLong(p++, h.sequence());
        ps.setString(p++, h.taskId().orElse(null));
        ps.setString(p++, h.progress().orElse(null));
        ps.setLong(p++, Rows.micros(h.at()));
        ps.setString(p++, h.agentId());
      }
      ps.executeUpdate();
    }
  }

  /** Each trimming agent's history and events cut to the limit, as one JDBC batch per table. */
  private void trim(Connection c, List<String> agentIds) throws SQLException {
    for (String table : List.of(sql.heartbeats, sql.events)) {
      String statement = "DELETE FROM " + table + " WHERE agent_id = ? AND id <= (SELECT id FROM"
          + " (SELECT id FROM " + table + " WHERE agent_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)"
          + " newest)";
      try (PreparedStatement ps = c.prepareStatement(statement)) {
        for (String id : agentIds) {
          ps.setString(1, id);
          ps.setString(2, id);
          ps.setInt(3, historyLimit);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }
}
