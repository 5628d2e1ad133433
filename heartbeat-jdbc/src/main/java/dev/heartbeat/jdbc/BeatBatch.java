package dev.heartbeat.jdbc;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.StoreProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * PostgreSQL: many beats in one statement per {@link #CHUNK} ({@code UPDATE ... FROM unnest(..)}
 * with the history, event and trim writes as data-modifying CTEs, in auto-commit mode), each beat
 * by the rule of a single one. The rows are locked in id order, so two batches over overlapping
 * agents queue instead of deadlocking. A statement updates a row once, so the beats of one agent
 * go in rounds: its first beat in the first statement, its second in the next, and so on; each
 * beat is atomic, the batch is not.
 *
 * <p>The statement is planned for any batch (a generic plan, which the server takes after a few
 * runs of a prepared statement, sees ten rows in every array): the rows that did not apply are
 * found through a hashed {@code NOT IN}, as an anti-join planned for ten rows loops over every
 * pair of a thousand (measured: 200 ms a chunk against 20 ms).
 */
final class BeatBatch {
  /** Beats per statement. */
  static final int CHUNK = 1000;

  private final Jdbc jdbc;
  private final StoreProblems problems;
  private final LongSupplier offset;
  private final String agents;
  private final int historyLimit;
  private final int trimEvery;
  private final String statement;

  BeatBatch(Sql sql, Jdbc jdbc, StoreProblems problems, LongSupplier offset, int historyLimit,
      int trimEvery) {
    this.jdbc = jdbc;
    this.problems = problems;
    this.offset = offset;
    this.agents = sql.agents;
    this.historyLimit = historyLimit;
    this.trimEvery = trimEvery;
    this.statement = statement(sql);
  }

  /**
   * Parameters: 1 to 10 the arrays (id, incarnation, seq, task_id, status, cpu, progress, new
   * progress, interval_us, trim), 11 and 12 the clock offset, 13 old history rows kept, 14 old
   * events kept by a beat with progress, 15 by one without. Yields the agent's row, then the
   * beat's position in the arrays (1-based).
   */
  private static String statement(Sql sql) {
    String readableNotLeft = Arrays.stream(AgentStatus.values())
        .filter(s -> s != AgentStatus.LEFT).map(s -> "'" + s.name() + "'")
        .collect(Collectors.joining(", "));
    String cols = "id, " + Sql.AGENT_COLUMNS + ", last_seen_at";
    String aCols = Arrays.stream(cols.split(", ")).map(c -> "a." + c)
        .collect(Collectors.joining(", "));
    return "WITH b AS (SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[],"
        + " ?::text[], ?::float8[], ?::text[], ?::boolean[], ?::bigint[], ?::boolean[])"
        + " WITH ORDINALITY AS b(id, incarnation, seq, task_id, status, cpu, progress,"
        + " new_progress, interval_us, trim, ord)),"
        + " upd AS (UPDATE " + sql.agents + " a SET seq = r.seq, task_id = r.task_id,"
        + " status = r.status, cpu = r.cpu, progress = r.progress, progress_at = CASE WHEN"
        + " r.new_progress THEN " + sql.now + " ELSE a.progress_at END,"
        + " interval_us = r.interval_us, last_seen_at = " + sql.now
        + " FROM (SELECT b.* FROM " + sql.agents + " x JOIN b ON x.id = b.id COLLATE \"C\""
        + " ORDER BY x.id FOR UPDATE OF x) r WHERE a.id = r.id COLLATE \"C\""
        + " AND a.incarnation = r.incarnation AND a.seq < r.seq AND a.status IN ("
        + readableNotLeft + ") AND a.cpu IS NOT NULL AND a.last_seen_at IS NOT NULL"
        + " AND (a.interval_us IS NULL OR a.interval_us > 0)"
        + " RETURNING " + aCols + ", r.new_progress, r.trim),"
        + " hist AS (INSERT INTO " + sql.heartbeats + " (" + Sql.AGENT_COLUMNS
        + ", recorded_at, agent_id) SELECT " + Sql.AGENT_COLUMNS + ", last_seen_at, id FROM upd),"
        + " ev AS (INSERT INTO " + sql.events + " (incarnation, seq, task_id, progress,"
        + " recorded_at, agent_id) SELECT incarnation, seq, task_id, progress, last_seen_at, id"
        + " FROM upd WHERE new_progress),"
        + " trim_h AS (" + trim(sql.heartbeats, "TRUE") + "),"
        + " trim_e AS (" + trim(sql.events, "upd.new_progress") + "),"
        + " trim_f AS (" + trim(sql.events, "NOT upd.new_progress") + "),"
        + " stale AS (SELECT " + aCols + " FROM " + sql.agents + " a JOIN b ON a.id = b.id"
        + " COLLATE \"C\" WHERE a.id NOT IN (SELECT upd.id FROM upd) FOR UPDATE OF a)"
        + " SELECT r.*, b.ord FROM b JOIN (SELECT " + cols + " FROM upd UNION ALL SELECT "
        + cols + " FROM stale) r ON r.id = b.id COLLATE \"C\"";
  }

  /** Deletes, for the trimming beats that applied and match {@code which}, old entries. */
  private static String trim(String table, String which) {
    return "DELETE FROM " + table + " t USING upd WHERE upd.trim AND " + which
        + " AND t.agent_id = upd.id AND t.id <= (SELECT o.id FROM " + table + " o"
        + " WHERE o.agent_id = upd.id ORDER BY o.id DESC LIMIT 1 OFFSET ?)";
  }

  /** What {@link AgentTable#record} returns for each beat, in order. */
  List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    List<Optional<Heartbeat>> out = new ArrayList<>(beats.size());
    for (int i = 0; i < beats.size(); i++) {
      out.add(Optional.empty());
    }
    for (List<Integer> round : rounds(beats)) {
      for (int from = 0; from < round.size(); from += CHUNK) {
        List<Integer> chunk = round.subList(from, Math.min(round.size(), from + CHUNK));
        record(beats, chunk, out);
      }
    }
    return out;
  }

  /** The positions of the beats, in rounds in which each agent has at most one beat. */
  static List<List<Integer>> rounds(List<Beat> beats) {
    List<List<Integer>> rounds = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < beats.size(); i++) {
      int round = seen.merge(beats.get(i).agentId(), 1, Integer::sum) - 1;
      if (round == rounds.size()) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(round).add(i);
    }
    return rounds;
  }

  private void record(List<Beat> beats, List<Integer> chunk, List<Optional<Heartbeat>> out) {
    int n = chunk.size();
    String[] ids = new String[n];
    String[] incarnations = new String[n];
    Long[] seqs = new Long[n];
    String[] tasks = new String[n];
    String[] statuses = new String[n];
    Double[] cpus = new Double[n];
    String[] progress = new String[n];
    Boolean[] newProgress = new Boolean[n];
    Long[] intervals = new Long[n];
    Boolean[] trims = new Boolean[n];
    for (int i = 0; i < n; i++) {
      Beat b = beats.get(chunk.get(i));
      ids[i] = b.agentId();
      incarnations[i] = b.incarnation();
      seqs[i] = b.sequence();
      tasks[i] = b.taskId().orElse(null);
      statuses[i] = b.status().name();
      cpus[i] = b.cpu().orElse(-1);
      progress[i] = b.progress().orElse(null);
      newProgress[i] = b.newProgress();
      intervals[i] = b.interval().map(Rows::micros).orElse(null);
      trims[i] = b.sequence() % trimEvery == 0;
    }
    jdbc.call("recordAll(" + n + " beats)", c -> {
      try (PreparedStatement ps = c.prepareStatement(statement)) {
        ps.setArray(1, c.createArrayOf("text", ids));
        ps.setArray(2, c.createArrayOf("text", incarnations));
        ps.setArray(3, c.createArrayOf("bigint", seqs));
        ps.setArray(4, c.createArrayOf("text", tasks));
        ps.setArray(5, c.createArrayOf("text", statuses));
        ps.setArray(6, c.createArrayOf("float8", cpus));
        ps.setArray(7, c.createArrayOf("text", progress));
        ps.setArray(8, c.createArrayOf("boolean", newProgress));
        ps.setArray(9, c.createArrayOf("bigint", intervals));
        ps.setArray(10, c.createArrayOf("boolean", trims));
        long clockOffset = offset.getAsLong();
        ps.setLong(11, clockOffset);
        ps.setLong(12, clockOffset);
        ps.setInt(13, historyLimit - 1);
        ps.setInt(14, historyLimit - 1);
        ps.setInt(15, historyLimit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            int position = chunk.get(rs.getInt(11) - 1);
            out.set(position, Optional.ofNullable(readable(rs)));
          }
        }
      }
      return null;
    });
  }

  private Heartbeat readable(ResultSet rs) throws SQLException {
    try {
      return Rows.heartbeat(rs);
    } catch (Rows.Unreadable e) {
      problems.report(agents + "/" + rs.getString(1), e.getMessage());
      return null;
    }
  }
}
