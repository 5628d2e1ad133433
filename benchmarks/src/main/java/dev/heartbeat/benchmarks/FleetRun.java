package dev.heartbeat.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ForwardingStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 21's fleet: many agents (100,000 by default) beating every 5 s from one engine in one
 * process, on PostgreSQL or Redis, in real time. The engine sends each tick's due beats in one
 * {@code recordAll}; the agents start in five groups a second apart, so a tick carries a fifth of
 * them. After every agent has registered and one interval has passed, it measures for a bounded
 * time (60 s by default, at most 600): the beats recorded, each {@code recordAll}'s duration (p50,
 * p99, max, against the 5 s interval), the batches that failed, and this process's CPU time as a
 * share of one core. Goals: each batch inside the interval, under 25 % of one core. Not JMH:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.heartbeat.benchmarks.FleetRun
 * --store=postgres|redis [agents] [seconds]} (or {@code benchmarks/run.sh fleet ...}).
 */
public final class FleetRun {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  static final int MAX_AGENTS = 200_000;
  static final int MAX_SECONDS = 600;
  private static final long REGISTER_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(10);

  /** Times every {@code recordAll} the engine sends. */
  static final class Timed extends ForwardingStore {
    final ConcurrentLinkedQueue<Long> batchNanos = new ConcurrentLinkedQueue<>();
    final AtomicLong beats = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    volatile boolean measuring;

    Timed(HeartbeatStore store) {
      super(store);
    }

    @Override
    public List<Optional<Heartbeat>> recordAll(List<Beat> batch) {
      long start = System.nanoTime();
      try {
        List<Optional<Heartbeat>> out = store.recordAll(batch);
        if (measuring && batchNanos.size() < 100_000) {
          batchNanos.add(System.nanoTime() - start);
          beats.addAndGet(batch.size());
        }
        return out;
      } catch (RuntimeException e) {
        if (measuring) {
          failed.incrementAndGet();
        }
        throw e;
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String kind = "postgres";
    List<String> rest = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("--store=")) {
        kind = a.substring("--store=".length());
      } else {
        rest.add(a);
      }
    }
    if (!kind.equals("postgres") && !kind.equals("redis")) {
      throw new IllegalArgumentException("--store must be postgres or redis, got '" + kind + "'");
    }
    int agents = rest.isEmpty() ? 100_000 : bounded("agents", rest.get(0), 1, MAX_AGENTS);
    int seconds = rest.size() < 2 ? 60 : bounded("seconds", rest.get(1), 10, MAX_SECONDS);
    try (Fixture fixture = Fixture.open(kind, 8)) {
      run(kind, fixture.store(), agents, seconds);
    }
  }

  static int bounded(String name, String value, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + n);
    }
    return n;
  }

  private static void run(String kind, HeartbeatStore raw, int agents, int seconds)
      throws InterruptedException {
    Timed store = new Timed(raw);
    OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (Heartbeats hb = Heartbeats.using(store)) {
      long registerStart = System.nanoTime();
      List<HeartbeatAgent> started = new ArrayList<>(agents);
      for (int group = 0; group < 5; group++) {
        for (int i = group; i < agents; i += 5) {
          started.add(hb.agent(String.format(Locale.ROOT, "fleet-%06d", i)).interval(INTERVAL)
              .start());
        }
        Thread.sleep(INTERVAL.toMillis() / 5);
      }
      while (raw.agents().size() < agents) {
        if (System.nanoTime() - registerStart > REGISTER_LIMIT_NANOS) {
          throw new IllegalStateException("only " + raw.agents().size() + " of " + agents
              + " agents registered in 10 minutes");
        }
        Thread.sleep(1000);
      }
      double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
      Thread.sleep(INTERVAL.toMillis()); // one interval of beats before measuring
      store.measuring = true;
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      long cpu = os.getProcessCpuTime() - cpu0;
      long wall = System.nanoTime() - wall0;
      store.measuring = false;
      long[] batches = store.batchNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      report(kind, raw, agents, seconds, registerSeconds, store, batches, cpu, wall);
    }
  }

  private static void report(String kind, HeartbeatStore raw, int agents, int seconds,
      double registerSeconds, Timed store, long[] batches, long cpu, long wall) {
    double expected = agents * (wall / 1e9) / INTERVAL.toSeconds();
    System.out.printf(Locale.ROOT, "fleet: %,d agents beating every %d s on %s (%s), Java %s,"
        + " %d cores; registered in %.1f s; measured %d s%n", agents, INTERVAL.toSeconds(),
        kind, raw.describe(), Runtime.version(), Runtime.getRuntime().availableProcessors(),
        registerSeconds, seconds);
    System.out.println("| beats recorded | of expected | batches | beats a batch | batch p50 ms"
        + " | batch p99 ms | batch max ms | max / interval | failed batches | client CPU,"
        + " share of one core |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| %,d | %.2f | %,d | %,.0f | %.1f | %.1f | %.1f | %.2f | %d"
        + " | %.1f %% |%n", store.beats.get(), store.beats.get() / expected, batches.length,
        batches.length == 0 ? 0.0 : store.beats.get() / (double) batches.length,
        percentile(batches, 0.50), percentile(batches, 0.99),
        batches.length == 0 ? 0.0 : batches[batches.length - 1] / 1e6,
        batches.length == 0 ? 0.0 : batches[batches.length - 1] / (double) INTERVAL.toNanos(),
        store.failed.get(), 100.0 * cpu / wall);
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  private FleetRun() {}
}
