package dev.heartbeat.benchmarks;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One tick of a process that holds {@code size} leases: one {@code renewAll} of all of them,
 * timed as a single shot. The leases are made before the trial, not timed
 * ({@link Fixture#seed}), and the renewal path is warmed up ({@link #warmUp}). Every renewal must succeed, or the benchmark throws. The process CPU time
 * of the measured ticks (every thread of this JVM: the caller, the driver's and Lettuce's I/O
 * threads, GC and JIT) is written by {@link CpuLog} beside the JMH results, to answer how many
 * leases one process can keep alive with a 5 s TTL and at what CPU; the database or Redis server's
 * own CPU is not in it.
 *
 * <p>The file store renews each lease with its own durable write, so it has its own, smaller
 * sizes: {@link FileBatchRenewBench}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BatchRenewBench {

  /** The store and its leases. */
  @State(Scope.Benchmark)
  public static class Batch extends BatchState {
    @Param({"memory", "h2", "postgres", "mariadb", "redis"})
    public String store;
    @Param({"1", "100", "10000", "100000"})
    public int size;

    @Override
    String storeName() {
      return store;
    }

    @Override
    int size() {
      return size;
    }

    @Override
    int seeders() {
      return 16;
    }
  }

  static int renewAll(HeartbeatStore store, List<LeaseRenewal> renewals) {
    List<Optional<Lease>> out = store.renewAll(renewals);
    int renewed = 0;
    for (Optional<Lease> lease : out) {
      if (lease.isPresent()) {
        renewed++;
      }
    }
    if (renewed != renewals.size()) {
      throw new IllegalStateException("renewAll renewed " + renewed + " of " + renewals.size());
    }
    return renewed;
  }

  /**
   * Single shots of small batches would measure the interpreter: before the first shot, renew
   * (at most the first 1,000 of) the leases again and again, up to 20,000 renewals or 3 s. A
   * batch of up to 10,000 is then renewed whole up to 3 times (within 3 s), so that the first
   * shots do not pay for the big call's first buffers and compilations either.
   */
  static void warmUp(HeartbeatStore store, List<LeaseRenewal> renewals) {
    List<LeaseRenewal> some = renewals.subList(0, Math.min(1000, renewals.size()));
    long end = System.nanoTime() + 3_000_000_000L;
    for (int done = 0; done < 20_000 && System.nanoTime() < end; done += some.size()) {
      renewAll(store, some);
    }
    if (renewals.size() > some.size() && renewals.size() <= 10_000) {
      long whole = System.nanoTime() + 3_000_000_000L;
      for (int i = 0; i < 3 && System.nanoTime() < whole; i++) {
        renewAll(store, renewals);
      }
    }
  }

  @Benchmark
  public int renewAll(Batch b) {
    return renewAll(b.fixture.store(), b.renewals);
  }

  /** Acquires many leases for a batch, a few at a time in parallel. */
  static final class Leases {
    private Leases() {}

    static List<LeaseRenewal> acquire(HeartbeatStore store, String prefix, String holder,
        int size, java.time.Duration ttl) throws Exception {
      int workers = Math.min(16, Math.max(1, size / 100));
      List<LeaseRenewal> out = new ArrayList<>(size);
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(workers)) {
        List<java.util.concurrent.Future<List<LeaseRenewal>>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
          int first = w;
          parts.add(pool.submit(() -> {
            List<LeaseRenewal> part = new ArrayList<>();
            for (int i = first; i < size; i += workers) {
              String name = prefix + "-" + i;
              Lease lease = store.tryAcquire(name, holder, ttl)
                  .orElseThrow(() -> new IllegalStateException("could not acquire " + name));
              part.add(new LeaseRenewal(name, lease.holder(), lease.token(), ttl));
            }
            return part;
          }));
        }
        for (var part : parts) {
          out.addAll(part.get());
        }
      }
      return out;
    }
  }
}
