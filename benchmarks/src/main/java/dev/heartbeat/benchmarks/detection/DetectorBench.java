package dev.heartbeat.benchmarks.detection;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.core.internal.CoreInternals;
import dev.heartbeat.core.internal.DetectorJudge;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
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
 * The stall detector's tick over many agents, on {@link DetectorJudge} (the judgement without a
 * store or a thread, reached through heartbeat-core's internal package). Every agent
 * beats every 5 s (the default interval) and has a full window of 100 samples.
 * {@code evaluate}: one judgement pass over every agent with no new beat (the poll between two
 * beats). {@code tick}: what one poll of a store that returned a new beat of every agent costs:
 * {@code observe} each beat, then {@code evaluate}. The store read itself is not in it; its
 * baseline is {@code evaluate}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DetectorBench {
  static final long INTERVAL = TimeUnit.SECONDS.toNanos(5);

  /** A detector that has seen {@code agents} agents beat regularly. */
  @State(Scope.Benchmark)
  public static class Agents {
    @Param({"10000", "100000"})
    public int agents;
    DetectorJudge core;
    String[] ids;
    long sequence;
    long now;

    @Setup(Level.Trial)
    public void open() {
      core = CoreInternals.detector(DetectorConfig.DEFAULTS, InstantSource.system());
      ids = new String[agents];
      for (int i = 0; i < agents; i++) {
        ids[i] = "agent-" + i;
      }
      now = 1_000_000_000L;
      for (int round = 0; round < 101; round++) {
        beatAll();
      }
    }

    /** A new beat of every agent, 5 s after the previous one. */
    int beatAll() {
      now += INTERVAL;
      sequence++;
      Instant at = Instant.ofEpochSecond(1_700_000_000L + now / 1_000_000_000L);
      int changes = 0;
      for (String id : ids) {
        List<AgentChange> c = core.observe(new Heartbeat(id, "inc", sequence, Optional.of("task"),
            AgentStatus.IDLE, OptionalDouble.of(0.1), Optional.empty(), Optional.empty(), at,
            Optional.empty()), now, at);
        changes += c.size();
      }
      core.publish();
      return changes;
    }
  }

  @Benchmark
  public int evaluate(Agents a) {
    return a.core.evaluate(a.now + INTERVAL / 5).size();
  }

  @Benchmark
  public int tick(Agents a) {
    return a.beatAll() + a.core.evaluate(a.now).size();
  }
}
