package dev.heartbeat.benchmarks;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
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
 * Recording one heartbeat of a registered agent, from one thread: {@code plain} (latest state and
 * history) and {@code progress} (the same plus a progress event, every beat). Its baseline is the
 * raw single write of the same backend ({@code RenewBench.raw1}, same run): the table shows how
 * many raw writes one beat costs. History is kept at each store's default length (1,000 beats),
 * so a long trial trims as it goes, as in production.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class RecordBench {

  /** One store with one registered agent. */
  @State(Scope.Benchmark)
  public static class Agent {
    @Param({"memory", "file", "h2", "postgres", "mariadb", "redis"})
    public String store;
    Fixture fixture;
    final String id = "agent-1";
    final String incarnation = Names.tag();
    long sequence;

    @Setup(Level.Trial)
    public void open() throws Exception {
      fixture = Fixture.open(store, 2);
      fixture.store().register(new Beat(id, incarnation, sequence++, Optional.empty(),
          AgentStatus.IDLE, OptionalDouble.empty(),
          Optional.empty(), false, Optional.empty()));
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      fixture.close();
    }

    Heartbeat beat(boolean progress) {
      long seq = sequence++;
      Beat beat = progress
          ? new Beat(id, incarnation, seq, Optional.of("task-1"), AgentStatus.WORKING,
              OptionalDouble.of(0.25), Optional.of("step " + seq), true, Optional.empty())
          : new Beat(id, incarnation, seq, Optional.of("task-1"), AgentStatus.WORKING,
              OptionalDouble.of(0.25), Optional.empty(), false, Optional.empty());
      return fixture.store().record(beat)
          .orElseThrow(() -> new IllegalStateException("agent unknown to the store: " + id));
    }
  }

  @Benchmark
  public Heartbeat plain(Agent a) {
    return a.beat(false);
  }

  @Benchmark
  public Heartbeat progress(Agent a) {
    return a.beat(true);
  }
}
