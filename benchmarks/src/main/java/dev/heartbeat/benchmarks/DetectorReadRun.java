package dev.heartbeat.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.HeartbeatFeed;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ForwardingStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Issue 21's detector reads: how soon the stall detector sees a stored beat, and what its reads
 * of the store cost this process, when it reads what changed ({@code agentsChangedSince}, the
 * default) and when it reads every agent each poll (as before), in the same run. A child JVM
 * ({@link DetectorReadWriter}) beats {@code agents} agents every 5 s into a fresh PostgreSQL table
 * prefix or Redis key prefix; this process runs only the engine's stall detector on the same
 * store. Three phases: incremental, full, incremental again. Each phase warms up for 10 s and then measures for {@code seconds} (60 by default, at most
 * 300): the delay from a beat's store time ({@link Heartbeat#at()}, stamped by the database
 * before its commit) to the first answer of the detector's reads (or its live feed, on Redis) that
 * holds it, p50 / p99 / max against the 1 s goal; and this process's CPU time as a share of one
 * core (the detector's reads and its judging, nothing else runs here). Not JMH:
 * {@code benchmarks/run.sh detector-reads --store=postgres|redis [agents] [seconds]}.
 */
public final class DetectorReadRun {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final int MAX_SAMPLES = 4_000_000;
  private static final long WARM_UP_MILLIS = 10_000;

  /** Notes when each beat is first seen; reads in full instead when {@link #full} is set. */
  static final class Seen extends ForwardingStore {
    private final ConcurrentHashMap<String, Long> newest = new ConcurrentHashMap<>();
    private final long[] delays = new long[MAX_SAMPLES];
    private final AtomicInteger count = new AtomicInteger();
    private final long storeAhead; // store clock minus this clock, microseconds
    volatile boolean full;
    volatile boolean measuring;

    Seen(HeartbeatStore store, long storeAhead) {
      super(store);
      this.storeAhead = storeAhead;
    }

    @Override
    public List<Heartbeat> agents() {
      return note(store.agents());
    }

    @Override
    public AgentChanges agentsChangedSince(ChangeCursor cursor) {
      if (full) {
        return AgentChanges.all(agents());
      }
      AgentChanges answer = store.agentsChangedSince(cursor);
      note(answer.changed());
      return answer;
    }

    @Override
    public Optional<HeartbeatFeed> feed() {
      return store.feed().map(feed -> new HeartbeatFeed() {
        @Override
        public void subscribe(Consumer<Heartbeat> listener) {
          feed.subscribe(beat -> {
            note(List.of(beat));
            listener.accept(beat);
          });
        }

        @Override
        public void close() {
          feed.close();
        }
      });
    }

    private List<Heartbeat> note(List<Heartbeat> beats) {
      long now = micros(Instant.now()) + storeAhead;
      for (Heartbeat h : beats) {
        Long before = newest.get(h.agentId());
        if (before != null && before >= h.sequence()) {
          continue;
        }
        newest.put(h.agentId(), h.sequence());
        if (measuring && before != null) { // a beat of an agent seen before: its first sight
          int i = count.getAndIncrement();
          if (i < MAX_SAMPLES) {
            delays[i] = now - micros(h.at());
          }
        }
      }
      return beats;
    }

    long[] take() {
      int n = Math.min(count.getAndSet(0), MAX_SAMPLES);
      long[] out = Arrays.copyOf(delays, n);
      Arrays.sort(out);
      return out;
    }
  }

  record Phase(String mode, long[] delays, double cpuShare, double seconds) {}

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
    int agents = rest.isEmpty() ? 10_000 : FleetRun.bounded("agents", rest.get(0), 1, 200_000);
    int seconds = rest.size() < 2 ? 60 : FleetRun.bounded("seconds", rest.get(1), 10, 300);
    try (Fixture fixture = Fixture.open(kind, 4)) {
      String prefix = fixture instanceof JdbcFixture j ? j.prefix()
          : ((RedisFixture) fixture).prefix();
      run(kind, prefix, fixture.store(), agents, seconds);
    }
  }

  private static void run(String kind, String prefix, HeartbeatStore raw, int agents,
      int seconds) throws Exception {
    int lifetime = 3 * seconds + 60 + agents / 500; // the writer stops itself by then
    Process writer = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
        System.getProperty("java.class.path"), DetectorReadWriter.class.getName(), kind, prefix,
        Integer.toString(agents), Integer.toString(lifetime))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
          StandardCharsets.UTF_8));
      long registerStart = System.nanoTime();
      String line = out.readLine();
      if (!"ready".equals(line)) {
        throw new IllegalStateException("the writer did not get ready: " + line);
      }
      double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
      Seen seen = new Seen(raw, storeAhead(raw));
      List<Phase> phases = new ArrayList<>();
      try (Heartbeats hb = Heartbeats.using(seen)) {
        hb.detector();
        phases.add(phase("incremental", seen, seconds));
        seen.full = true;
        phases.add(phase("full every poll", seen, seconds));
        seen.full = false; // again, so that a drift (warm-up, a neighbour) shows
        phases.add(phase("incremental again", seen, seconds));
      }
      report(kind, raw, agents, registerSeconds, phases);
    } finally {
      writer.destroy();
      if (!writer.waitFor(10, TimeUnit.SECONDS)) {
        writer.destroyForcibly();
      }
    }
  }

  private static Phase phase(String mode, Seen seen, int seconds) throws InterruptedException {
    OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Thread.sleep(WARM_UP_MILLIS);
    seen.take();
    seen.measuring = true;
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    long cpu = os.getProcessCpuTime() - cpu0;
    long wall = System.nanoTime() - wall0;
    seen.measuring = false;
    return new Phase(mode, seen.take(), (double) cpu / wall, wall / 1e9);
  }

  /** The store's clock minus this machine's, in microseconds: the median of a few samples. */
  private static long storeAhead(HeartbeatStore store) {
    long[] samples = new long[7];
    for (int i = 0; i < samples.length; i++) {
      long before = micros(Instant.now());
      long at = micros(store.now());
      long after = micros(Instant.now());
      samples[i] = at - (before + after) / 2;
    }
    Arrays.sort(samples);
    return samples[samples.length / 2];
  }

  private static void report(String kind, HeartbeatStore raw, int agents, double registerSeconds,
      List<Phase> phases) {
    System.out.printf(Locale.ROOT, "detector reads: %,d agents beating every %d s on %s (%s),"
        + " Java %s, %d cores; registered in %.1f s%n", agents, INTERVAL.toSeconds(), kind,
        raw.describe(), Runtime.version(), Runtime.getRuntime().availableProcessors(),
        registerSeconds);
    System.out.println("| detector reads | measured s | beats seen | of expected | seen p50 ms"
        + " | seen p99 ms | seen max ms | p99 / 1 s goal | detector process CPU, share of one core"
        + " | CPU / mean of incremental |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    double base = (phases.get(0).cpuShare() + phases.get(2).cpuShare()) / 2;
    for (Phase p : phases) {
      double expected = agents * p.seconds() / INTERVAL.toSeconds();
      System.out.printf(Locale.ROOT, "| %s | %.0f | %,d | %.2f | %.1f | %.1f | %.1f | %.2f |"
          + " %.2f %% | %.2f |%n", p.mode(), p.seconds(), p.delays().length,
          p.delays().length / expected, ms(p.delays(), 0.50), ms(p.delays(), 0.99),
          p.delays().length == 0 ? 0 : p.delays()[p.delays().length - 1] / 1e3,
          ms(p.delays(), 0.99) / 1000, 100 * p.cpuShare(), p.cpuShare() / base);
    }
  }

  private static double ms(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e3;
  }

  static long micros(Instant at) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, at);
  }

  private DetectorReadRun() {}
}
