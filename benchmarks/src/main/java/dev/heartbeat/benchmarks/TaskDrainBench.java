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
import java.sql.SQLException;
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
 * Executed tasks per second of the workers alone, on PostgreSQL, heartbeat against db-scheduler:
 * before each invocation {@value #BACKLOG} empty one-time tasks are submitted (one committed
 * insert each) while no worker runs; the invocation starts the workers and waits until every task
 * has run and its completion is committed; the workers stop after it, untimed. This is the figure
 * {@link TaskThroughputBench} cannot show: there the submitting thread's own commits (one a task,
 * on both sides) bound both peers from below.
 *
 * <p>Fair settings, as in {@link TaskThroughputBench}: {@value TaskThroughputBench#THREADS}
 * executing threads (heartbeat: one {@link TaskWorker} with that concurrency; db-scheduler:
 * {@code threads}), polls every {@value TaskThroughputBench#POLL_MS} ms, db-scheduler's
 * {@code pollUsingLockAndFetch(0.5, 1.0)}, a HikariCP pool of {@value TaskThroughputBench#POOL}
 * connections each; the tables analyzed once after the first backlog.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class TaskDrainBench {
  static final int BACKLOG = 2000;

  /** One side on PostgreSQL: the heartbeat engine or db-scheduler. */
  @State(Scope.Benchmark)
  public static class Side {
    @Param({"heartbeat", "db-scheduler"})
    public String peer;
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
    boolean analyzed;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      if (peer.equals("heartbeat")) {
        fixture = new JdbcFixture("postgres", tag, TaskThroughputBench.POOL);
        hb = Heartbeats.builder().store(fixture.store()).holderId("bench").build();
        queue = hb.tasks("drain-" + tag);
      } else if (peer.equals("db-scheduler")) {
        pool = JdbcFixture.pool("postgres", tag, TaskThroughputBench.POOL);
        table = tag + "_scheduled_tasks";
        TaskThroughputBench.DbSchedulerTable.create(pool, table);
        task = Tasks.oneTime("bench", Void.class)
            .execute((inst, ctx) -> executed.incrementAndGet());
      } else {
        throw new IllegalArgumentException("peer must be heartbeat or db-scheduler, got '"
            + peer + "'");
      }
    }

    /** The backlog, submitted with no worker running (db-scheduler: a stopped scheduler). */
    @Setup(Level.Invocation)
    public void backlog() throws SQLException {
      Scheduler submitter = queue == null ? Scheduler.create(pool, task).tableName(table)
          .build() : null; // built, never started: it only schedules
      for (int i = 0; i < BACKLOG; i++) {
        String id = "t" + next++;
        if (queue != null) {
          queue.submit(TaskSpec.of(id, ""));
        } else {
          submitter.schedule(task.instance(id), Instant.now());
        }
      }
      if (!analyzed) {
        TaskThroughputBench.Side.analyze(queue != null ? fixture.pool() : pool, queue != null
            ? new String[] {tag + "_tasks", tag + "_task_attempts", tag + "_task_tokens"}
            : new String[] {table});
        analyzed = true;
      }
    }

    /** Starts the workers (timed, as their start is part of draining a backlog). */
    void start() {
      if (queue != null) {
        worker = hb.worker("worker-" + next).queue(queue.name())
            .concurrency(TaskThroughputBench.THREADS)
            .pollInterval(Duration.ofMillis(TaskThroughputBench.POLL_MS))
            .handler(ctx -> TaskResult.done()).start();
      } else {
        scheduler = Scheduler.create(pool, task).tableName(table)
            .threads(TaskThroughputBench.THREADS)
            .pollingInterval(Duration.ofMillis(TaskThroughputBench.POLL_MS))
            .pollUsingLockAndFetch(0.5, 1.0).build();
        scheduler.start();
      }
    }

    @TearDown(Level.Invocation)
    public void stop() throws SQLException {
      if (worker != null) {
        worker.close();
        worker = null;
        var tasks = fixture.store().tasks().orElseThrow();
        Instant later = Instant.now().plusSeconds(3600);
        for (int i = 0; i < 1000 && tasks.prune(queue.name(), later, 10_000) > 0; i++) {
          // until nothing is left
        }
      }
      if (scheduler != null) {
        scheduler.stop();
        scheduler = null;
      }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      if (hb != null) {
        hb.close();
        fixture.close();
      }
      if (pool != null) {
        try {
          TaskThroughputBench.DbSchedulerTable.drop(pool, table);
        } finally {
          pool.close();
        }
      }
    }

    long pending() throws SQLException {
      if (queue != null) {
        TaskCounts c = queue.counts();
        return c.of(TaskState.INBOX) + c.of(TaskState.IN_PROGRESS);
      }
      return TaskThroughputBench.DbSchedulerTable.count(pool, table);
    }

    long executed() {
      return worker != null ? worker.stats().done() : executed.get();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BACKLOG)
  public long drain(Side s) throws SQLException {
    long target = s.queue != null ? BACKLOG : s.executed.get() + BACKLOG;
    s.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    // the handler counts are read in memory; the store only once they are all in (db-scheduler
    // counts a run before its completion is committed, so its table is read until empty)
    while (s.executed() < target || s.pending() > 0) {
      while (s.executed() < target && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(s.peer + " did not drain " + BACKLOG
            + " tasks in 120 s: executed " + s.executed() + " of " + target);
      }
      LockSupport.parkNanos(1_000_000);
    }
    return target;
  }
}
