package dev.heartbeat.jdbc;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.StoreProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Agents, their history and their progress events. A beat is one transaction: lock the agent's
 * row ({@code SELECT ... FOR UPDATE}, which also reads the database clock), update it if the beat
 * is newer (the rule is in the update's {@code WHERE}), insert the history row and, for new
 * progress, the event row; on PostgreSQL and MariaDB one round trip ({@link OneTripBeat}). History
 * is trimmed to the limit every
 * quarter-limit beats (and at every registration), so it holds between {@code historyLimit} and
 * {@code 1.25 x historyLimit} entries per agent while costing two extra statements only now and
 * then.
 */
final class AgentTable {
  private final Sql sql;
  private final Jdbc jdbc;
  private final StoreProblems problems;
  private final LongSupplier offset;
  private final int historyLimit;
  private final int trimEvery;
  /** PostgreSQL: beats set-based; null elsewhere. */
  private final BeatBatch batch;
  /** MariaDB: beats in one short transaction per chunk; null elsewhere. */
  private final BeatRows rows;
  /** PostgreSQL and MariaDB: a single beat in one round trip; null on H2. */
  private final OneTripBeat oneTrip;
  private final ChangeReads changes;

  AgentTable(Sql sql, Jdbc jdbc, StoreProblems problems, LongSupplier offset, int historyLimit) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.problems = problems;
    this.offset = offset;
    this.historyLimit = historyLimit;
    this.trimEvery = Math.max(1, historyLimit / 4);
    this.batch = sql.recordOne == null ? null
        : new BeatBatch(sql, jdbc, problems, offset, historyLimit, trimEvery);
    this.rows = sql.dialect != Dialect.MARIADB ? null
        : new BeatRows(sql, jdbc, problems, offset, historyLimit, trimEvery);
    this.changes = new ChangeReads(sql, jdbc, problems, offset);
    this.oneTrip = sql.recordOne == null && sql.callRecordBeat == null ? null
        : new OneTripBeat(sql, jdbc, problems, offset, historyLimit, trimEvery);
  }

  /**
   * One transaction: an unlocked look tells whether the row exists. A new agent is inserted (a
   * concurrent first registration makes it fail on the key, and it is run again). An existing
   * row is replaced by one conditional update unless it is newer (same run, sequence at or
   * above), in which case the stored state is returned unchanged. Never an update that finds
   * nothing followed by an insert: on MariaDB that takes gap locks on which concurrent
   * registrations of new agents deadlock.
   */
  Heartbeat register(Beat beat) {
    Heartbeat stored = jdbc.transaction("register(" + beat.agentId() + ")", c -> {
      long now;
      boolean seen;
      try (PreparedStatement ps = c.prepareStatement(sql.agentSeen)) {
        ps.setLong(1, offset.getAsLong());
        ps.setString(2, beat.agentId());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          now = rs.getLong(1);
          seen = rs.getString(2) != null;
        }
      }
      Heartbeat mine = stamped(beat, now, beat.newProgress() ? now : null);
      if (seen) {
        if (replaceUnlessNewer(c, mine, beat.newProgress(), now) == 1) {
          Heartbeat h = read(c, sql.selectAgent, beat.agentId());
          append(c, beat, h, now, true);
          return h;
        }
        Optional<Heartbeat> kept = lockedRow(c, beat.agentId());
        if (kept == null) {
          seen = false; // forgotten since the look
        } else if (kept.isPresent()) {
          return kept.get(); // a newer state of the same run: nothing changes
        } else {
          write(c, sql.updateAgent, mine, now); // an unreadable row the rule could not see
        }
      }
      if (!seen) {
        write(c, sql.insertAgent, mine, now);
      }
      append(c, beat, mine, now, true);
      return mine;
    });
    problems.repaired(key(beat.agentId()));
    return stored;
  }

  /**
   * One transaction: lock the agent's row (reading the clock), then one update that applies only
   * if the beat is newer ({@link Sql#recordIfNewer}: same incarnation, greater sequence, not
   * after LEFT); a stale beat changes nothing and gets the locked row back.
   */
  Optional<Heartbeat> record(Beat beat) {
    if (oneTrip != null) {
      return oneTrip.record(beat);
    }
    return jdbc.transaction("record(" + beat.agentId() + ")", c -> {
      Heartbeat previous;
      long now;
      try (PreparedStatement ps = c.prepareStatement(sql.agentForUpdate)) {
        ps.setLong(1, offset.getAsLong());
        ps.setString(2, beat.agentId());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.<Heartbeat>empty();
          }
          previous = readable(rs, key(beat.agentId()));
          now = rs.getLong(11);
        }
      }
      if (previous == null) {
        return Optional.<Heartbeat>empty();
      }
      Heartbeat h = stamped(beat, now, beat.newProgress() ? Long.valueOf(now)
          : previous.progressAt().map(Rows::micros).orElse(null));
      if (write(c, sql.recordIfNewer, h, now, h.incarnation(), h.sequence()) == 0) {
        return Optional.of(previous);
      }
      append(c, beat, h, now, beat.sequence() % trimEvery == 0);
      return Optional.of(h);
    });
  }



  /**
   * Many beats: on PostgreSQL one statement per {@link BeatBatch#CHUNK} beats (and per round of
   * an agent's repeated beats), on MariaDB one short transaction per chunk ({@link BeatRows}),
   * on H2 one {@link #record} after another.
   */
  List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    if (batch != null) {
      return batch.recordAll(beats);
    }
    if (rows != null && beats.size() > 1) {
      return rows.recordAll(beats);
    }
    List<Optional<Heartbeat>> out = new ArrayList<>(beats.size());
    for (Beat beat : beats) {
      out.add(record(beat));
    }
    return out;
  }

  /** {@link Sql#registerUnlessNewer}: how many rows it replaced (0 or 1). */
  private int replaceUnlessNewer(Connection c, Heartbeat h, boolean newProgress, long now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.registerUnlessNewer)) {
      if (newProgress) {
        ps.setLong(1, now);
      } else {
        ps.setNull(1, Types.BIGINT);
      }
      ps.setString(2, h.incarnation());
      ps.setString(3, h.incarnation());
      ps.setLong(4, h.sequence());
      ps.setString(5, h.taskId().orElse(null));
      ps.setString(6, h.status().name());
      ps.setDouble(7, Rows.cpu(h));
      ps.setString(8, h.progress().orElse(null));
      setInterval(ps, 9, h);
      ps.setLong(10, now);
      ps.setString(11, h.agentId());
      ps.setString(12, h.incarnation());
      ps.setLong(13, h.sequence());
      return ps.executeUpdate();
    }
  }

  /** The row locked: null when there is none, empty when it is unreadable (reported). */
  private Optional<Heartbeat> lockedRow(Connection c, String agentId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.agentForUpdate)) {
      ps.setLong(1, offset.getAsLong());
      ps.setString(2, agentId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(readable(rs, key(agentId))) : null;
      }
    }
  }

  /** The row of one agent as this transaction sees it; it must exist and be readable. */
  private Heartbeat read(Connection c, String query, String agentId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, agentId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return Rows.heartbeat(rs);
        }
      } catch (Rows.Unreadable e) {
        throw new SQLException("row just written is unreadable: " + e.getMessage(), e);
      }
    }
    throw new SQLException("row just written is gone: " + agentId);
  }

  /** Deletes latest state, history and events of one agent, in one transaction. */
  boolean forget(String agentId) {
    boolean known = jdbc.transaction("forget(" + agentId + ")", c -> {
      int rows = delete(c, sql.deleteAgent, agentId);
      if (rows > 0) {
        changes.markGone(c, agentId);
      }
      delete(c, sql.deleteHistoryOf, agentId);
      delete(c, sql.deleteEventsOf, agentId);
      return rows > 0;
    });
    problems.repaired(key(agentId));
    return known;
  }

  private static int delete(Connection c, String statement, String agentId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      ps.setString(1, agentId);
      return ps.executeUpdate();
    }
  }

  Optional<Heartbeat> agent(String agentId) {
    return jdbc.call("agent(" + agentId + ")", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.selectAgent)) {
        ps.setString(1, agentId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(readable(rs, key(agentId))) : Optional.empty();
        }
      }
    });
  }

  List<Heartbeat> agents() {
    List<Heartbeat> out = jdbc.call("agents()", c -> {
      List<Heartbeat> list = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.selectAgents);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Heartbeat h = readable(rs, key(rs.getString(1)));
          if (h != null) {
            list.add(h);
          }
        }
      }
      return list;
    });
    out.sort(Comparator.comparing(Heartbeat::agentId));
    return out;
  }

  AgentChanges changedSince(ChangeCursor cursor) {
    return changes.since(cursor);
  }

  List<Heartbeat> history(String agentId, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return jdbc.call("history(" + agentId + ")", c -> newest(c, sql.history, agentId, limit,
        rs -> Rows.heartbeat(rs), sql.heartbeats));
  }

  List<ProgressEvent> events(String agentId, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return jdbc.call("events(" + agentId + ")", c -> newest(c, sql.eventsOf, agentId, limit,
        rs -> Rows.event(rs), sql.events));
  }

  /** Reads one row of a history table. */
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException, Rows.Unreadable;
  }

  private <T> List<T> newest(Connection c, String query, String agentId, int limit,
      RowReader<T> reader, String table) throws SQLException {
    List<T> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, agentId);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        int idColumn = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          try {
            out.add(reader.read(rs));
          } catch (Rows.Unreadable e) {
            problems.report(table + "/" + rs.getLong(idColumn), e.getMessage());
          }
        }
      }
    }
    return out;
  }

  private Heartbeat readable(ResultSet rs, String key) throws SQLException {
    return readable(rs, problems, key);
  }

  /** The heartbeat of the row at {@code rs}, or null when unreadable (reported under key). */
  static Heartbeat readable(ResultSet rs, StoreProblems problems, String key)
      throws SQLException {
    try {
      return Rows.heartbeat(rs);
    } catch (Rows.Unreadable e) {
      problems.report(key, e.getMessage());
      return null;
    }
  }

  private static Heartbeat stamped(Beat b, long now, Long progressAt) {
    return new Heartbeat(b.agentId(), b.incarnation(), b.sequence(), b.taskId(), b.status(),
        b.cpu(), b.progress(), Optional.ofNullable(progressAt).map(Rows::instant),
        Rows.instant(now), b.interval());
  }

  /**
   * Binds incarnation, seq, task_id, status, cpu, progress, progress_at, interval_us, time, id,
   * and then {@code more} (the conditions of {@link Sql#recordIfNewer}).
   */
  private static int write(Connection c, String statement, Heartbeat h, long now, Object... more)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      ps.setString(1, h.incarnation());
      ps.setLong(2, h.sequence());
      ps.setString(3, h.taskId().orElse(null));
      ps.setString(4, h.status().name());
      ps.setDouble(5, Rows.cpu(h));
      ps.setString(6, h.progress().orElse(null));
      if (h.progressAt().isPresent()) {
        ps.setLong(7, Rows.micros(h.progressAt().get()));
      } else {
        ps.setNull(7, Types.BIGINT);
      }
      setInterval(ps, 8, h);
      ps.setLong(9, now);
      ps.setString(10, h.agentId());
      for (int i = 0; i < more.length; i++) {
        ps.setObject(11 + i, more[i]);
      }
      return ps.executeUpdate();
    }
  }

  /** The beat's interval in microseconds, or NULL for a beat without one. */
  private static void setInterval(PreparedStatement ps, int index, Heartbeat h)
      throws SQLException {
    if (h.interval().isPresent()) {
      ps.setLong(index, Rows.micros(h.interval().get()));
    } else {
      ps.setNull(index, Types.BIGINT);
    }
  }

  private void append(Connection c, Beat beat, Heartbeat h, long now, boolean trim)
      throws SQLException {
    write(c, sql.insertHistory, h, now);
    if (beat.newProgress()) {
      try (PreparedStatement ps = c.prepareStatement(sql.insertEvent)) {
        ps.setString(1, beat.incarnation());
        ps.setLong(2, beat.sequence());
        ps.setString(3, beat.taskId().orElse(null));
        ps.setString(4, beat.progress().orElse(null));
        ps.setLong(5, now);
        ps.setString(6, beat.agentId());
        ps.executeUpdate();
      }
    }
    if (trim) {
      trim(c, sql.heartbeats, beat.agentId());
      trim(c, sql.events, beat.agentId());
    }
  }

  private void trim(Connection c, String table, String agentId) throws SQLException {
    long cutoff;
    try (PreparedStatement ps = c.prepareStatement(sql.nthNewest(table))) {
      ps.setString(1, agentId);
      ps.setInt(2, historyLimit);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        cutoff = rs.getLong(1);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(sql.deleteUpTo(table))) {
      ps.setString(1, agentId);
      ps.setLong(2, cutoff);
      ps.executeUpdate();
    }
  }

  private String key(String agentId) {
    return sql.agents + "/" + agentId;
  }
}
