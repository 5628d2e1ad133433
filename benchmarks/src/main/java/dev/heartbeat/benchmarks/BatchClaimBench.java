package dev.heartbeat.benchmarks;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

/**
 * One {@code claim} of {@code size} due tasks, each timed shot on a queue holding {@code size}
 * INBOX tasks submitted before it (not timed; the claimed tasks are ended and pruned after it).
 * Divide by {@code size} for the cost per task; {@code size=1} is the single claim it is compared
 * with.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchClaimBench {
  private static final AttemptEnd DONE = new AttemptEnd(AttemptOutcome.DONE, Optional.empty(),
      Optional.empty(), Optional.empty(), TaskState.DONE, Duration.ZERO, Optional.empty());

  /** A queue of {@code size} due tasks before each claim. */
  @State(Scope.Benchmark)
  public static class Due {
    @Param({"memory", "file", "h2", "postgres", "mariadb", "redis"})
    public String store;
    @Param({"1", "100", "1000"})
    public int size;
    Fixture fixture;
    TaskStore tasks;
    final String queue = "claim-" + Names.tag();
    List<TaskClaim> claimed = List.of();
    long next;

    @Setup(Level.Trial)
    public void open() throws Exception {
      fixture = Fixture.open(store, 8);
      tasks = fixture.store().tasks().orElseThrow(() -> new IllegalStateException(
          "store " + store + " keeps no tasks"));
    }

    @Setup(Level.Invocation)
    public void submit() {
      for (int i = 0; i < size; i++) {
        tasks.submit(queue, TaskSpec.of("t" + next++, ""));
      }
    }

    @TearDown(Level.Invocation)
    public void endAndPrune() {
      if (claimed.size() != size) {
        throw new IllegalStateException("claimed " + claimed.size() + " of " + size);
      }
      for (TaskClaim c : claimed) {
        tasks.end(c.claim(), DONE);
      }
      tasks.prune(queue, Instant.now().plusSeconds(3600), size);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      fixture.close();
    }
  }

  @Benchmark
  public int claim(Due d) {
    d.claimed = d.tasks.claim(d.queue, "worker-1", "run-1", d.size, Duration.ofSeconds(30));
    return d.claimed.size();
  }
}
