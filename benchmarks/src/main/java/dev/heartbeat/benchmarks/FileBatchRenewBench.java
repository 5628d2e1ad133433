package dev.heartbeat.benchmarks;

import dev.heartbeat.spi.LeaseRenewal;
import java.util.List;
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
import org.openjdk.jmh.infra.IterationParams;

/**
 * {@link BatchRenewBench} for the file store, which renews each lease with its own durable write
 * (a few fsyncs each): sizes 1, 100 and 1,000, since 100,000 would take minutes per tick.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FileBatchRenewBench {

  /** The file store and its leases. */
  @State(Scope.Benchmark)
  public static class Batch {
    @Param({"1", "100", "1000"})
    public int size;
    Fixture fixture;
    List<LeaseRenewal> renewals;
    final CpuLog cpu = new CpuLog();

    @Setup(Level.Trial)
    public void open() throws Exception {
      fixture = Fixture.open("file", 1);
      renewals = fixture.seed("batch", "bench", size, RenewBench.TTL.multipliedBy(5));
      BatchRenewBench.warmUp(fixture.store(), renewals);
    }

    @Setup(Level.Iteration)
    public void before(IterationParams params) {
      cpu.before(params);
    }

    @TearDown(Level.Iteration)
    public void after() {
      cpu.after();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      cpu.write("batch", "file", size);
      fixture.close();
    }
  }

  @Benchmark
  public int renewAll(Batch b) {
    return BatchRenewBench.renewAll(b.fixture.store(), b.renewals);
  }
}
