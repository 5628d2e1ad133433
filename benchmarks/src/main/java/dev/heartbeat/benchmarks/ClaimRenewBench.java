package dev.heartbeat.benchmarks;

import dev.heartbeat.TaskSpec;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/**
 * One {@code renewClaims} call renewing {@code size} in-flight claims (each timed shot), on a queue
 * where {@code size} tasks were submitted and claimed before the trial (not timed). Divide by
 * {@code size} for the cost per claim. {@code renewOne} is one renewal on its own, warm: a
 * {@code renewClaims} of the first claim alone, {@value #ONE_REPS} times a shot, per call.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClaimRenewBench {
  static final Duration TTL = Duration.ofMinutes(5);
  static final int ONE_REPS = 100;

  /** {@code size} claims held by one worker. */
  @State(Scope.Benchmark)
  public static class Claims {
    @Param({"postgres", "redis"})
    public String store;
    @Param({"1", "10000"})
    public int size;
    Fixture fixture;
    TaskStore tasks;
    List<ClaimRenewal> renewals;
    List<ClaimRenewal> first;

    @Setup(Level.Trial)
    public void open() throws Exception {
      fixture = Fixture.open(store, 8);
      tasks = fixture.store().tasks().orElseThrow(() -> new IllegalStateException(
          "store " + store + " keeps no tasks"));
      String queue = "renew-" + Names.tag();
      for (int i = 0; i < size; i++) {
        tasks.submit(queue, TaskSpec.of("t" + i, ""));
      }
      renewals = new ArrayList<>(size);
      for (int round = 0; round < 1000 && renewals.size() < size; round++) {
        for (TaskClaim c : tasks.claim(queue, "worker-1", "run-1",
            Math.min(1000, size - renewals.size()), TTL)) {
          renewals.add(new ClaimRenewal(c.claim(), TTL));
        }
      }
      if (renewals.size() != size) {
        throw new IllegalStateException("claimed " + renewals.size() + " of " + size);
      }
      first = List.of(renewals.get(0));
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      fixture.close();
    }
  }

  @Benchmark
  public List<ClaimAnswer> renew(Claims c) {
    List<ClaimAnswer> answers = c.tasks.renewClaims(c.renewals);
    if (answers.size() != c.size) {
      throw new IllegalStateException(answers.size() + " answers for " + c.size + " renewals");
    }
    for (ClaimAnswer a : answers) {
      if (!a.held()) {
        throw new IllegalStateException("a claim was not renewed: " + a);
      }
    }
    return answers;
  }

  @Benchmark
  @OperationsPerInvocation(ONE_REPS)
  public int renewOne(Claims c) {
    int held = 0;
    for (int i = 0; i < ONE_REPS; i++) {
      if (c.tasks.renewClaims(c.first).get(0).held()) {
        held++;
      }
    }
    if (held != ONE_REPS) {
      throw new IllegalStateException("renewed " + held + " of " + ONE_REPS);
    }
    return held;
  }
}
