package dev.heartbeat.benchmarks;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.redis.RedisStore;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Claim latency at an idle queue: each sample submits one task and ends when the worker's
 * handler has started it (a hand-off through a blocking queue). The worker polls every
 * {@value #POLL_MS} ms and hears its store's task signals where the store has them (memory,
 * PostgreSQL, Redis); {@code redis-polling} is the Redis store built with {@code taskSignals(false)} and
 * {@code postgres-polling} the PostgreSQL store with its signals hidden, the baselines of the
 * same run that only poll. Concurrency 4; between samples the
 * benchmark waits, untimed, until the task is done, so each submit finds the queue empty and
 * the worker parked; then it waits, untimed, a random 0 to {@value #POLL_MS} ms more, so that
 * submits arrive at a random point of the worker's poll interval (as independent submits would)
 * rather than just after its last empty claim.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class TaskLatencyBench {
  static final int POLL_MS = 50;

  /** One store, an idle queue, and a worker polling it. */
  @State(Scope.Benchmark)
  public static class Idle {
    @Param({"memory", "file", "h2", "postgres", "postgres-polling", "mariadb", "redis",
        "redis-polling"})
    public String store;
    final BlockingQueue<String> started = new ArrayBlockingQueue<>(16);
    Fixture fixture;
    HeartbeatStore target;
    Heartbeats hb;
    TaskQueue queue;
    TaskWorker worker;
    long next;
    long done;

    @Setup(Level.Trial)
    public void open() throws Exception {
      if (store.equals("redis-polling")) {
        RedisFixture redis = new RedisFixture(Names.tag());
        fixture = redis;
        target = RedisStore.builder(redis.client()).keyPrefix(redis.prefix() + "-polling")
            .maxLeaseTtl(Duration.ofMinutes(10)).taskSignals(false)
            .freshPrefixWithoutQuarantine().build();
      } else if (store.equals("postgres-polling")) {
        fixture = Fixture.open("postgres", 8);
        target = withoutSignals(fixture.store());
      } else {
        fixture = Fixture.open(store, 8);
        target = fixture.store();
      }
      hb = Heartbeats.builder().store(target).holderId("bench").build();
      queue = hb.tasks("lat-" + Names.tag());
      worker = hb.worker("worker-1").queue(queue.name()).concurrency(4)
          .pollInterval(Duration.ofMillis(POLL_MS)).handler(ctx -> {
            started.offer(ctx.taskId());
            return TaskResult.done();
          }).start();
    }

    /** {@code store} as it is, but for its task signals: the worker only polls. */
    static HeartbeatStore withoutSignals(HeartbeatStore store) {
      java.util.Optional<dev.heartbeat.spi.TaskStore> quiet = store.tasks()
          .map(t -> new dev.heartbeat.tck.ForwardingTaskStore(t) {
            @Override
            public java.util.Optional<dev.heartbeat.spi.TaskSignals> signals() {
              return java.util.Optional.empty();
            }
          });
      return new dev.heartbeat.tck.ForwardingStore(store) {
        @Override
        public java.util.Optional<dev.heartbeat.spi.TaskStore> tasks() {
          return quiet;
        }
      };
    }

    /**
     * Waits (not timed) until the sample's task is done, so the next one finds an idle queue, then
     * a random part of the poll interval.
     */
    @TearDown(Level.Invocation)
    public void settle() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (worker.stats().done() < done) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the task was not done in 30 s: " + worker.stats());
        }
        LockSupport.parkNanos(100_000);
      }
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(
          TimeUnit.MILLISECONDS.toNanos(POLL_MS)));
    }

    @TearDown(Level.Iteration)
    public void prune() {
      var tasks = target.tasks().orElseThrow();
      Instant later = Instant.now().plusSeconds(3600);
      for (int i = 0; i < 1000 && tasks.prune(queue.name(), later, 10_000) > 0; i++) {
        // until nothing is left
      }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      worker.close();
      hb.close();
      if (target != fixture.store()) {
        target.close(); // its keys go with the fixture's prefix, which they start with
      }
      fixture.close();
    }
  }

  @Benchmark
  public String submitToStart(Idle s) throws InterruptedException {
    String id = "t" + s.next++;
    s.done++;
    s.queue.submit(TaskSpec.of(id, ""));
    String got = s.started.poll(30, TimeUnit.SECONDS);
    if (!id.equals(got)) {
      throw new IllegalStateException("expected task " + id + " to start, got " + got);
    }
    return got;
  }
}
