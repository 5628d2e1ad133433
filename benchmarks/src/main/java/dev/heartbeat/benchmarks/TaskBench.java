package dev.heartbeat.benchmarks;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * Executing tasks: {@code engine} submits {@value #BATCH} tasks through a {@link TaskQueue} and
 * waits until a {@link TaskWorker} (concurrency 4, an empty handler) has run and completed them
 * all; {@code store} does the same work on the raw {@link TaskStore} from one thread (submit,
 * claim 4 at a time, end each {@code DONE}), the least the engine can cost. Both report the time
 * per task, so the table's ratio is what the engine adds: its claim polling, virtual threads,
 * bounded calls, claim renewals and counting.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class TaskBench {
  static final int BATCH = 200;
  static final int CONCURRENCY = 4;
  private static final AttemptEnd DONE = new AttemptEnd(AttemptOutcome.DONE, Optional.empty(),
      Optional.empty(), Optional.empty(), TaskState.DONE, Duration.ZERO, Optional.empty());

  /** One store, a queue on it, and a worker through the engine. */
  @State(Scope.Benchmark)
  public static class Queue {
    @Param({"memory", "file", "h2", "postgres", "mariadb", "redis"})
    public String store;
    Fixture fixture;
    TaskStore tasks;
    Heartbeats hb;
    TaskQueue queue;
    TaskWorker worker;
    final String raw = "raw-" + Names.tag();
    long next;

    @Setup(Level.Trial)
    public void open() throws Exception {
      fixture = Fixture.open(store, 8);
      tasks = fixture.store().tasks().orElseThrow(() -> new IllegalStateException(
          "store " + store + " keeps no tasks"));
      hb = Heartbeats.builder().store(fixture.store()).holderId("bench").build();
      queue = hb.tasks("engine-" + Names.tag());
      worker = hb.worker("worker-1").queue(queue.name()).concurrency(CONCURRENCY)
          .pollInterval(Duration.ofMillis(5)).handler(ctx -> TaskResult.done()).start();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      worker.close();
      hb.close();
      fixture.close();
    }

    /** Prunes what the last iteration finished, so the queue does not grow with the run. */
    @TearDown(Level.Iteration)
    public void prune() {
      java.time.Instant later = java.time.Instant.now().plusSeconds(3600);
      while (tasks.prune(queue.name(), later, 10_000) > 0) {
        // until nothing is left
      }
      while (tasks.prune(raw, later, 10_000) > 0) {
        // until nothing is left
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long engine(Queue q) throws InterruptedException {
    long target = q.worker.stats().done() + BATCH;
    for (int i = 0; i < BATCH; i++) {
      q.queue.submit(TaskSpec.of("t" + q.next++, ""));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (q.worker.stats().done() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the worker did not finish " + BATCH + " tasks in 60 s: "
            + q.worker.stats());
      }
      Thread.onSpinWait();
    }
    return target;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long store(Queue q) {
    long done = 0;
    for (int i = 0; i < BATCH; i++) {
      q.tasks.submit(q.raw, TaskSpec.of("t" + q.next++, ""));
    }
    while (done < BATCH) {
      List<TaskClaim> claims = q.tasks.claim(q.raw, "raw-worker", "run-1", CONCURRENCY,
          Duration.ofSeconds(30));
      for (TaskClaim c : claims) {
        if (q.tasks.end(c.claim(), DONE)) {
          done++;
        }
      }
    }
    return done;
  }
}
