package dev.heartbeat.benchmarks;

import dev.heartbeat.spi.LeaseRenewal;
import java.util.List;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What every batch-renewal state does: open the store, seed {@link #size()} held leases, warm the
 * batch path, log the process CPU of each measured iteration, clean up. Subclasses carry the
 * {@code @Param} sets.
 */
abstract class BatchState {
  Fixture fixture;
  List<LeaseRenewal> renewals;
  final CpuLog cpu = new CpuLog();

  /** The store kind, as {@link Fixture#open} takes it. */
  abstract String storeName();

  /** How many leases to renew in one call. */
  abstract int size();

  /** How many threads may seed leases at once. */
  abstract int seeders();

  @Setup(Level.Trial)
  public void open() throws Exception {
    fixture = Fixture.open(storeName(), seeders());
    renewals = fixture.seed("batch", "bench", size(), RenewBench.TTL.multipliedBy(5));
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
    cpu.write("batch", storeName(), size());
    fixture.close();
  }
}
