package dev.heartbeat.benchmarks;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.TickerStats;
import dev.heartbeat.spi.HeartbeatStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A soak of the engine on the memory store or on Redis: 10,000 agents and 1,000 elections (two candidates
 * each) watched by a stall detector, for an hour of simulated time with churn (every simulated
 * minute 100 agents leave and 100 new ids join, 10 leaders resign and campaign again); heap after
 * GC, platform threads and store calls running are sampled every 5 simulated minutes. The
 * engines run on a manual clock the harness moves one second at a time, waiting each second
 * until every ticker is idle. Agents that left are forgotten after 10 simulated minutes
 * ({@code forgetAfter}), so the store holds a steady number of them. Bounded: 3,600 steps, and it
 * stops after {@value #REAL_LIMIT_MINUTES} real minutes whatever happens (more with
 * {@code -Dsoak.realLimitMinutes=N}, at most 60: the full Redis run takes longer on a shared
 * 2-core machine). Not a JMH benchmark:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.heartbeat.benchmarks.Soak
 * [--store=memory|redis] [agents] [elections] [minutes]} (or {@code benchmarks/run.sh soak}).
 *
 * <p>On Redis ({@link SoakStore}) the engines still run on the manual clock while the server
 * judges lease expiry by its own {@code TIME}: a simulated second takes well under the TTL of
 * real time, so renewals come early, never late, and the soak measures growth, not timing. Each
 * sample also counts the keys under the store's fresh prefix and their {@code MEMORY USAGE}.
 */
public final class Soak {
  static final int REAL_LIMIT_MINUTES = 10;
  private static final Duration STEP = Duration.ofSeconds(1);

  private final SoakClock clock = new SoakClock();
  private final SoakStore soakStore;
  private final HeartbeatStore store;
  private final List<Heartbeats> engines = new ArrayList<>();
  private final List<HeartbeatAgent> agents = new ArrayList<>();
  private final List<Leadership> first = new ArrayList<>();
  private final List<Leadership> second = new ArrayList<>();
  private final long realDeadline =
      System.nanoTime() + TimeUnit.MINUTES.toNanos(realLimitMinutes());
  private int nextAgent;

  private static int realLimitMinutes() {
    int minutes = Integer.getInteger("soak.realLimitMinutes", REAL_LIMIT_MINUTES);
    if (minutes < 1 || minutes > 60) {
      throw new IllegalArgumentException(
          "soak.realLimitMinutes must be 1 to 60, got " + minutes);
    }
    return minutes;
  }
  private long lagging;

  private Soak(String kind) {
    this.soakStore = SoakStore.of(kind, clock);
    this.store = soakStore.store();
  }

  private Heartbeats engine(String holder) {
    Heartbeats hb = Heartbeats.builder().store(store).time(clock).holderId(holder)
        .forgetAfter(Duration.ofMinutes(10)).closeTimeout(Duration.ofSeconds(5)).build();
    engines.add(hb);
    return hb;
  }

  private static final LeadershipListener QUIET = new LeadershipListener() {
    @Override
    public void elected(Lease lease) {}

    @Override
    public void revoked(Lease lease, RevokeReason reason) {}
  };

  /** Moves the clock one step and waits (in real time, bounded) until the engines are idle. */
  private void step() {
    clock.advance(STEP);
    long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int idleChecks = 0;
    while (idleChecks < 2 && System.nanoTime() - bound < 0) {
      boolean idle = clock.waitingForLater("heartbeat-ticker-") == engines.size()
          && engines.stream().allMatch(e -> e.ticker().storeCallsRunning() == 0);
      idleChecks = idle ? idleChecks + 1 : 0;
      Thread.onSpinWait();
      try {
        Thread.sleep(idle ? 1 : 0, idle ? 0 : 200_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (idleChecks < 2) {
      lagging++;
    }
  }

  private void run(int agentCount, int electionCount, int minutes) {
    Heartbeats workers = engine("workers");
    Heartbeats leadersA = engine("leaders-a");
    Heartbeats leadersB = engine("leaders-b");
    Heartbeats watcher = engine("watcher");
    watcher.detector();
    for (int i = 0; i < electionCount; i++) {
      first.add(leadersA.leases().elect(name(i), QUIET));
      second.add(leadersB.leases().elect(name(i), QUIET));
    }
    for (int s = 0; s < 5; s++) { // spread the agents' phases over one interval
      for (int i = 0; i < agentCount / 5; i++) {
        agents.add(workers.agent(String.format(Locale.ROOT, "agent-%07d", nextAgent++)).start());
      }
      step();
    }
    System.out.printf(Locale.ROOT, "soak: %d agents, %d elections (2 candidates each), %d "
        + "simulated minutes on %s, Java %s, %d cores%n", agentCount, electionCount, minutes,
        store.describe(), Runtime.version(), Runtime.getRuntime().availableProcessors());
    System.out.println("| sim min | heap after GC (MiB) | platform threads | store calls running"
        + " | agents in store | detector states | leaders | dropped | refused | real s"
        + soakStore.header() + " |");
    System.out.println("|---:".repeat(10 + soakStore.header().split("\\|", -1).length - 1)
        + "|");
    long realStart = System.nanoTime();
    sample(0, realStart, watcher);
    int churned = 0;
    for (int second = 1; second <= minutes * 60; second++) {
      if (System.nanoTime() - realDeadline > 0) {
        System.out.printf("stopped after %d real minutes at simulated second %d%n",
            realLimitMinutes(), second);
        break;
      }
      step();
      if (second % 300 == 0) {
        sample(second / 60, realStart, watcher); // before the churn, on idle engines
      }
      if (second % 60 == 0) {
        churn(workers, leadersA, churned++);
      }
    }
    System.out.printf(Locale.ROOT, "steps the engines did not finish within 10 real seconds: %d%n",
        lagging);
    engines.reversed().forEach(Heartbeats::close);
    soakStore.close();
  }

  /** 100 agents leave and 100 new ids join; 10 leaders resign and campaign again. */
  private void churn(Heartbeats workers, Heartbeats leadersA, int round) {
    int leave = Math.min(100, agents.size());
    for (int i = 0; i < leave; i++) {
      agents.remove(0).close();
      agents.add(workers.agent(String.format(Locale.ROOT, "agent-%07d", nextAgent++)).start());
    }
    for (int i = 0; i < Math.min(10, first.size()); i++) {
      int index = (round * 10 + i) % first.size();
      first.get(index).close();
      first.set(index, leadersA.leases().elect(name(index), QUIET));
    }
  }

  private void sample(int minute, long realStart, Heartbeats watcher) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long heap = memory.getHeapMemoryUsage().getUsed();
    long running = 0;
    long dropped = 0;
    long refused = 0;
    for (Heartbeats e : engines) {
      TickerStats t = e.ticker();
      running += t.storeCallsRunning();
      dropped += t.dropped();
      refused += t.storeCallsRefused();
    }
    long leaders = first.stream().filter(Leadership::isLeader).count()
        + second.stream().filter(Leadership::isLeader).count();
    System.out.printf(Locale.ROOT, "| %d | %.1f | %d | %d | %d | %d | %d | %d | %d | %.0f%s |%n",
        minute, heap / 1048576.0, ManagementFactory.getThreadMXBean().getThreadCount(), running,
        store.agents().size(), watcher.detector().states().size(), leaders, dropped, refused,
        (System.nanoTime() - realStart) / 1e9, soakStore.sample());
  }

  private static String name(int i) {
    return String.format(Locale.ROOT, "election-%04d", i);
  }

  /**
   * Runs the soak: {@code [--store=memory|redis] [agents] [elections] [simulated minutes]},
   * default memory 10000 1000 60.
   *
   * @param args the store, then the counts, each optional
   */
  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    String kind = "memory";
    if (args.length > 0 && args[0].startsWith("--store=")) {
      kind = args[0].substring("--store=".length());
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
    }
    int agentCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int electionCount = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    new Soak(kind).run(agentCount, electionCount, minutes);
  }
}
