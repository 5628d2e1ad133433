package dev.heartbeat.benchmarks;

import dev.heartbeat.Lease;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Renewal of one held lease, through the store ({@code store*}) and through the raw baseline of
 * its backend ({@code raw*}, see each {@link Fixture}), from 1 and from 8 threads. Each thread
 * holds its own lease (acquired once through the store) and renews it in a closed loop; the
 * store's and the baseline's methods run as separate trials of the same run. Sample time gives
 * p50 and p99; throughput is threads / mean; {@code -prof gc} gives bytes per renewal, which on
 * {@code memory} is the allocation of the in-memory renewal path. Every renewal must succeed:
 * a lost lease throws, and the smoke profile fails.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RenewBench {
  static final Duration TTL = Duration.ofSeconds(60);

  /** One store and its pool (8 connections, one per thread). */
  @State(Scope.Benchmark)
  public static class Stores {
    @Param({"memory", "file", "h2", "postgres", "mariadb", "redis"})
    public String store;
    Fixture fixture;
    final AtomicInteger threads = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() throws Exception {
      fixture = Fixture.open(store, 8);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      fixture.close();
    }
  }

  /** The lease one benchmark thread holds (dropped with the store's tables, keys or files). */
  @State(Scope.Thread)
  public static class Held {
    Lease lease;

    @Setup(Level.Trial)
    public void acquire(Stores s) {
      String name = "renew-" + s.threads.incrementAndGet();
      lease = s.fixture.store().tryAcquire(name, "bench-" + name, TTL)
          .orElseThrow(() -> new IllegalStateException("could not acquire " + name));
    }
  }

  static Lease renew(Stores s, Held h) {
    return s.fixture.store().renew(h.lease.name(), h.lease.holder(), h.lease.token(), TTL)
        .orElseThrow(() -> new IllegalStateException("lease lost: " + h.lease.name()));
  }

  static boolean raw(Stores s, Held h) throws Exception {
    if (!s.fixture.rawRenew(h.lease, TTL)) {
      throw new IllegalStateException("raw renewal failed: " + h.lease.name());
    }
    return true;
  }

  @Benchmark
  @Threads(1)
  public Lease store1(Stores s, Held h) {
    return renew(s, h);
  }

  @Benchmark
  @Threads(1)
  public boolean raw1(Stores s, Held h) throws Exception {
    return raw(s, h);
  }

  @Benchmark
  @Threads(8)
  public Lease store8(Stores s, Held h) {
    return renew(s, h);
  }

  @Benchmark
  @Threads(8)
  public boolean raw8(Stores s, Held h) throws Exception {
    return raw(s, h);
  }
}
