package dev.heartbeat.benchmarks.detection;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.core.internal.CoreInternals;
import dev.heartbeat.core.internal.DetectorJudge;
import java.time.Instant;
import java.time.InstantSource;
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

/**
 * One detector round over many agents in steady state, on {@link DetectorJudge} (heartbeat-core's
 * detector judgement, through its internal package). The agents beat every 5 s and the detector rounds every second (the
 * defaults), so each round a rotating fifth of the agents has a new beat: that fifth is observed
 * before each invocation ({@code Level.Invocation}, not measured), and the measured method is the
 * round's {@code evaluate(now)}, judging every agent (phi for each, since all are alive). Goal
 * (issue 6): under 50 ms at 100,000 agents. {@code observeAndEvaluate} measures the round's
 * whole CPU work instead: observing the new fifth, then judging.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class DetectorTickBench {
  static final DetectorConfig CONFIG = DetectorConfig.DEFAULTS;
  static final long POLL = CONFIG.pollInterval().toNanos();
  static final int ROUNDS_PER_BEAT =
      (int) (CONFIG.expectedInterval().toNanos() / POLL);
  static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Param({"10000", "100000"})
  public int agents;

  private DetectorJudge core;
  private String[] ids;
  private long[] sequence;
  private long now;
  private long round;

  @Setup(Level.Trial)
  public void warm() {
    core = CoreInternals.detector(CONFIG, InstantSource.fixed(AT));
    ids = new String[agents];
    sequence = new long[agents];
    for (int i = 0; i < agents; i++) {
      ids[i] = "agent-" + i;
    }
    now = 1_000_000_000L;
    for (int r = 0; r < ROUNDS_PER_BEAT * 20; r++) {
      observeFifth();
      core.evaluate(now);
      now += POLL;
    }
  }

  /** The fifth of the agents whose beat is due this round beat; returns the changes. */
  int observeFifth() {
    int slot = (int) (round++ % ROUNDS_PER_BEAT);
    int changes = 0;
    for (int i = slot; i < agents; i += ROUNDS_PER_BEAT) {
      changes += core.observe(new Heartbeat(ids[i], "run-1", ++sequence[i], Optional.empty(),
          AgentStatus.IDLE, OptionalDouble.empty(), Optional.empty(), Optional.empty(), AT,
          Optional.empty()), now, null).size();
    }
    return changes;
  }

  @State(Scope.Benchmark)
  public static class Due {
    /** Observes the round's new beats before each {@code evaluate}, outside the measurement. */
    @Setup(Level.Invocation)
    public void beats(DetectorTickBench bench) {
      bench.observeFifth();
    }
  }

  @Benchmark
  public int evaluate(Due due) {
    int changes = core.evaluate(now).size();
    now += POLL;
    return changes;
  }

  @Benchmark
  public int observeAndEvaluate() {
    int changes = observeFifth() + core.evaluate(now).size();
    now += POLL;
    return changes;
  }
}
