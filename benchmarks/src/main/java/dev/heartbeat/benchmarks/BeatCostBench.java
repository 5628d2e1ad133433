package dev.heartbeat.benchmarks;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * One beat of a registered agent through the store ({@code beat}) against its floor
 * ({@code raw}): a raw write of the same rows in one round trip on the same pool, that is the
 * agent's row updated and one history row appended by one unconditional statement in
 * auto-commit, with no lock, no check of the stored run and no row read back. Issue 21's goal:
 * {@code beat} at least 0.8x the speed of {@code raw}. {@code batch} records one beat of each of
 * {@code size} registered agents with one {@code recordAll}: its time divided by the agents is
 * the cost per beat, to set against {@code one}, a single beat of an agent of the same fleet
 * (goal: at least 10x cheaper on PostgreSQL, MariaDB and Redis).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class BeatCostBench {

  /** One store with one registered agent, on a pool of two connections. */
  @State(Scope.Benchmark)
  public static class Agent {
    @Param({"postgres", "mariadb"})
    public String store;
    JdbcFixture fixture;
    String rawWrite;
    final String id = "agent-1";
    final String incarnation = Names.tag();
    long sequence;

    @Setup(Level.Trial)
    public void open() throws Exception {
      fixture = (JdbcFixture) Fixture.open(store, 2);
      fixture.store().register(beat());
      String prefix = fixture.prefix();
      rawWrite = switch (store) {
        case "postgres" -> {
          String now = "(extract(epoch from statement_timestamp()) * 1000000)::bigint";
          yield "WITH upd AS (UPDATE " + prefix + "agents SET seq = ?, task_id = ?, status = ?,"
              + " cpu = ?, progress = ?, interval_us = ?, last_seen_at = " + now + " WHERE id = ?"
              + " RETURNING id, incarnation, seq, task_id, status, cpu, progress, progress_at,"
              + " interval_us, last_seen_at) INSERT INTO " + prefix + "heartbeats (incarnation,"
              + " seq, task_id, status, cpu, progress, progress_at, interval_us, recorded_at,"
              + " agent_id) SELECT incarnation, seq, task_id, status, cpu, progress, progress_at,"
              + " interval_us, last_seen_at, id FROM upd";
        }
        // one transaction (one commit, as the beat's) of two statements in one round trip: the
        // benchmark's MariaDB pool allows multi-statement queries (JdbcFixture.MARIADB_URL)
        case "mariadb" -> "START TRANSACTION; UPDATE " + prefix + "agents SET seq = ?,"
            + " task_id = ?, status = ?, cpu = ?, progress = ?, interval_us = ?, last_seen_at ="
            + " TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) WHERE id = ?;"
            + " INSERT INTO " + prefix + "heartbeats (incarnation, seq, task_id, status, cpu,"
            + " progress, progress_at, interval_us, recorded_at, agent_id) SELECT incarnation,"
            + " seq, task_id, status, cpu, progress, progress_at, interval_us, last_seen_at, id"
            + " FROM " + prefix + "agents WHERE id = ?; COMMIT";
        default -> throw new IllegalArgumentException("no raw write for store " + store
            + "; BeatCostBench.beat and .raw run on postgres and mariadb");
      };
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      fixture.close();
    }

    Beat beat() {
      return new Beat(id, incarnation, sequence++, Optional.of("task-1"), AgentStatus.WORKING,
          OptionalDouble.of(0.25), Optional.empty(), false, Optional.empty());
    }
  }

  /** {@link #size} registered agents on a pool of two connections. */
  @State(Scope.Benchmark)
  public static class Fleet {
    @Param({"postgres", "mariadb", "redis", "file"})
    public String store;
    /** Agents, one beat each per {@code batch}. */
    @Param({"10000"})
    public int size;
    Fixture fixture;
    final String incarnation = Names.tag();
    long[] sequences;
    int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
      fixture = Fixture.open(store, 2);
      sequences = new long[size];
      for (int i = 0; i < size; i++) {
        fixture.store().register(beat(i));
      }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      fixture.close();
    }

    Beat beat(int agent) {
      return new Beat("agent-" + agent, incarnation, sequences[agent]++, Optional.of("task-1"),
          AgentStatus.WORKING, OptionalDouble.of(0.25), Optional.empty(), false,
          Optional.empty());
    }
  }

  /** One beat of each agent in one {@code recordAll}; per beat, divide by {@code size}. */
  @Benchmark
  public int batch(Fleet f) {
    java.util.List<Beat> beats = new java.util.ArrayList<>(f.size);
    for (int i = 0; i < f.size; i++) {
      beats.add(f.beat(i));
    }
    int applied = 0;
    for (Optional<Heartbeat> h : f.fixture.store().recordAll(beats)) {
      if (h.isEmpty() || h.get().sequence() != beats.get(applied).sequence()) {
        throw new IllegalStateException("a beat of the batch did not apply: " + h);
      }
      applied++;
    }
    return applied;
  }

  /** One beat of the next agent of the same fleet: the single beat {@code batch} is set against. */
  @Benchmark
  public Heartbeat one(Fleet f) {
    int agent = f.next;
    f.next = (agent + 1) % f.size;
    return f.fixture.store().record(f.beat(agent))
        .orElseThrow(() -> new IllegalStateException("agent unknown to the store: " + agent));
  }

  @Benchmark
  public Heartbeat beat(Agent a) {
    return a.fixture.store().record(a.beat())
        .orElseThrow(() -> new IllegalStateException("agent unknown to the store: " + a.id));
  }

  @Benchmark
  public int raw(Agent a) throws Exception {
    try (Connection c = a.fixture.pool().getConnection();
        PreparedStatement ps = c.prepareStatement(a.rawWrite)) {
      ps.setLong(1, a.sequence++);
      ps.setString(2, "task-1");
      ps.setString(3, AgentStatus.WORKING.name());
      ps.setDouble(4, 0.25);
      ps.setString(5, null);
      ps.setNull(6, java.sql.Types.BIGINT);
      ps.setString(7, a.id);
      if (a.store.equals("mariadb")) {
        ps.setString(8, a.id);
      }
      ps.execute();
      int rows = 0;
      do {
        int count = ps.getUpdateCount();
        rows += Math.max(0, count); // MariaDB: 0 for each transaction bound, 1 for each write
      } while (ps.getMoreResults() || ps.getUpdateCount() != -1);
      int expected = a.store.equals("mariadb") ? 2 : 1; // PostgreSQL counts the insert
      if (rows != expected) {
        throw new IllegalStateException("raw write changed " + rows + " rows, not " + expected);
      }
      return rows;
    }
  }
}
