package dev.heartbeat.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskWorker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Executed tasks per second on PostgreSQL, heartbeat against db-scheduler on the same database:
 * each invocation submits {@value #BATCH} tasks from the benchmark thread (one committed insert
 * each) and waits until all have run an empty handler and their completion is committed (the
 * queue's open count, or db-scheduler's table, back to zero). Same durability: a task is
 * committed before its handler runs and its completion after.
 *
 * <p>Fair settings, the same on both sides: {@value #THREADS} executing threads (heartbeat: one
 * {@link TaskWorker} with {@code concurrency(4)}; db-scheduler: {@code threads(4)}), a poll
 * interval of {@value #POLL_MS} ms ({@code pollInterval} / {@code pollingInterval}),
 * db-scheduler polling with {@code pollUsingLockAndFetch(0.5, 1.0)} (its fastest strategy on
 * PostgreSQL: one {@code UPDATE ... FOR UPDATE SKIP LOCKED RETURNING} per fetch) and without
 * immediate execution (heartbeat's worker has none either), each on a HikariCP pool of
 * {@value #POOL} connections.
 *
 * <p>{@code stats}: {@code fresh} measures the tables as created, which the planner has no
 * statistics of (heartbeat's look-ups by key may then scan the queue through another index that
 * leads with the queue name); {@code analyzed} analyzes both sides' tables at the end of each
 * iteration, the steady state once autovacuum has run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class TaskThroughputBench {
  static final int BATCH = 500;
  static final int THREADS = 4;
  static final int POLL_MS = 10;
  static final int POOL = 8;

  /** One side on PostgreSQL: the heartbeat engine or db-scheduler. */
  @State(Scope.Benchmark)
  public static class Side {
    @Param({"heartbeat", "db-scheduler"})
    public String peer;
    /**
     * {@code fresh}: the tables as created, never analyzed (the planner has no statistics);
     * {@code analyzed}: each side's tables analyzed at the end of every iteration while its rows
     * are still there, as autovacuum does within its first minute on a real deployment.
     */
    @Param({"fresh", "analyzed"})
    public String stats;
    final String tag = Names.tag();
    final AtomicLong executed = new AtomicLong();
    JdbcFixture fixture;
    Heartbeats hb;
    TaskQueue queue;
    TaskWorker worker;
    HikariDataSource pool;
    String table;
    OneTimeTask<Void> task;
    Scheduler scheduler;
    long next;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      if (peer.equals("heartbeat")) {
        fixture = new JdbcFixture("postgres", tag, POOL);
        hb = Heartbeats.builder().store(fixture.store()).holderId("bench").build();
        queue = hb.tasks("tp-" + tag);
        worker = hb.worker("worker-1").queue(queue.name()).concurrency(THREADS)
            .pollInterval(Duration.ofMillis(POLL_MS)).handler(ctx -> TaskResult.done()).start();
      } else if (peer.equals("db-scheduler")) {
        pool = JdbcFixture.pool("postgres", tag, POOL);
        table = tag + "_scheduled_tasks";
        DbSchedulerTable.create(pool, table);
        task = Tasks.oneTime("bench", Void.class).execute((inst, ctx) -> executed.incrementAndGet());
        scheduler = Scheduler.create(pool, task).tableName(table).threads(THREADS)
            .pollingInterval(Duration.ofMillis(POLL_MS)).pollUsingLockAndFetch(0.5, 1.0)
            .build();
        scheduler.start();
      } else {
        throw new IllegalArgumentException("peer must be heartbeat or db-scheduler, got '"
            + peer + "'");
      }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      if (worker != null) {
        worker.close();
        hb.close();
        fixture.close();
      }
      if (scheduler != null) {
        scheduler.stop();
        try {
          DbSchedulerTable.drop(pool, table);
        } finally {
          pool.close();
        }
      }
    }

    /**
     * Analyzes the tables when {@code stats} says so, then prunes the heartbeat tasks the last
     * iteration finished (db-scheduler deletes its own).
     */
    @TearDown(Level.Iteration)
    public void prune() throws SQLException {
      if (stats.equals("analyzed")) {
        analyze(queue != null ? fixture.pool() : pool, queue != null
            ? new String[] {tag + "_tasks", tag + "_task_attempts", tag + "_task_tokens"}
            : new String[] {table});
      } else if (!stats.equals("fresh")) {
        throw new IllegalArgumentException("stats must be fresh or analyzed, got '" + stats
            + "'");
      }
      if (queue != null) {
        var tasks = fixture.store().tasks().orElseThrow();
        Instant later = Instant.now().plusSeconds(3600);
        for (int i = 0; i < 1000 && tasks.prune(queue.name(), later, 10_000) > 0; i++) {
          // until nothing is left
        }
      }
    }

    static void analyze(javax.sql.DataSource pool, String... tables)
        throws SQLException {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        for (String t : tables) {
          s.execute("ANALYZE " + t);
        }
      }
    }

    /** Tasks submitted and not yet completed (committed), by the store. */
    long pending() throws SQLException {
      if (queue != null) {
        TaskCounts c = queue.counts();
        return c.of(TaskState.INBOX) + c.of(TaskState.IN_PROGRESS);
      }
      return DbSchedulerTable.count(pool, table);
    }

    long executed() {
      return worker != null ? worker.stats().done() : executed.get();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long execute(Side s) throws SQLException {
    long target = s.executed() + BATCH;
    for (int i = 0; i < BATCH; i++) {
      String id = "t" + s.next++;
      if (s.queue != null) {
        s.queue.submit(TaskSpec.of(id, ""));
      } else {
        s.scheduler.schedule(s.task.instance(id), Instant.now());
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (s.executed() < target || s.pending() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(s.peer + " did not finish " + BATCH
            + " tasks in 120 s: executed " + s.executed() + " of " + target);
      }
      LockSupport.parkNanos(200_000);
    }
    return target;
  }

  /** db-scheduler's own table (its PostgreSQL DDL), created and dropped by the benchmark. */
  static final class DbSchedulerTable {
    private DbSchedulerTable() {}

    static void create(HikariDataSource pool, String table) throws SQLException {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + table + " (task_name TEXT NOT NULL, task_instance TEXT NOT NULL,"
            + " task_data BYTEA, execution_time TIMESTAMP WITH TIME ZONE NOT NULL,"
            + " picked BOOLEAN NOT NULL, picked_by TEXT, last_success TIMESTAMP WITH TIME ZONE,"
            + " last_failure TIMESTAMP WITH TIME ZONE, consecutive_failures INT,"
            + " last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL,"
            + " priority SMALLINT, PRIMARY KEY (task_name, task_instance))");
        s.execute("CREATE INDEX " + table + "_et_idx ON " + table + " (execution_time)");
        s.execute("CREATE INDEX " + table + "_hb_idx ON " + table + " (last_heartbeat)");
        s.execute("CREATE INDEX " + table + "_pet_idx ON " + table
            + " (priority DESC, execution_time ASC)");
      }
    }

    static long count(HikariDataSource pool, String table) throws SQLException {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    static void drop(HikariDataSource pool, String table) throws SQLException {
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }
}
