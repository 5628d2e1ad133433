package dev.heartbeat.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link BatchRenewBench} for the file store, which renews each lease with its own durable write
 * (a few fsyncs each): sizes 1, 100 and 1,000, since 100,000 would take minutes per tick.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FileBatchRenewBench {

  /** The file store and its leases. */
  @State(Scope.Benchmark)
  public static class Batch extends BatchState {
    @Param({"1", "100", "1000"})
    public int size;

    @Override
    String storeName() {
      return "file";
    }

    @Override
    int size() {
      return size;
    }

    @Override
    int seeders() {
      return 1;
    }
  }

  @Benchmark
  public int renewAll(Batch b) {
    return BatchRenewBench.renewAll(b.fixture.store(), b.renewals);
  }
}
