package dev.heartbeat.benchmarks.detection;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.core.internal.CoreInternals;
import dev.heartbeat.core.internal.DetectorJudge;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Detection quality, not speed: many agents over simulated hours, with jitter, lost beats, GC
 * pauses and crashes, judged side by side by phi accrual ({@link DetectorJudge} with the defaults
 * for the beat interval, {@link DetectorConfig#DEFAULTS} at 5 s) and by a fixed timeout
 * ({@link FixedTimeoutDetector}) on the same seeded stream of events. Prints a Markdown table:
 * time from a crash to SUSPECT and to DEAD, and false SUSPECT and false DEAD verdicts per 10,000
 * agent-hours.
 *
 * <p>The model: each agent sends a beat every interval plus uniform jitter, counted from its
 * previous send; a GC pause (a Poisson process per agent) holds back a beat due inside it until
 * it ends; a beat is lost with the given probability, else stored after the store latency. The
 * detector runs a round every poll interval as the real one does: it judges first, then reads
 * what was stored by then (arrival = the round's instant). A crash (a Poisson process per agent)
 * stops the agent's beats; it comes back as a new run after {@code restart-after}. Events are
 * streamed in time order from one heap holding at most a few per agent.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.heartbeat.benchmarks.detection.DetectionSimulator \
 *     --agents 10000 --hours 10 --loss 0.01 --pause 2s --pause-rate 12
 * }</pre>
 */
public final class DetectionSimulator {
  private static final int BEAT = 0;
  private static final int CRASH = 1;
  private static final int RESTART = 2;
  private static final Instant STORED_AT = Instant.parse("2026-01-01T00:00:00Z");

  private final SimulationParams p;
  private final DetectorConfig config;
  private final SplittableRandom random;
  private final EventQueue events = new EventQueue();
  private final DetectorJudge phi;
  private final FixedTimeoutDetector fixed;
  private final DetectionTally phiTally;
  private final DetectionTally fixedTally;
  private final String[] ids;
  private final String[] runs;
  private final Map<String, Integer> index = new HashMap<>();
  private final long interval;
  private final long latency;
  private final long horizon;
  // the truth, per agent
  private final long[] pending;
  private final long[] sendAt;
  private final long[] nextPause;
  private final long[] sequence;
  private final int[] run;
  private final boolean[] crashed;
  private final long[] crashAt;
  private final long[] lastStored;
  private long downtime;
  private long beats;
  private long lost;
  private long delayedByPause;
  private long crashes;

  DetectionSimulator(SimulationParams p) {
    this.p = p;
    this.config = DetectorConfig.forInterval(p.interval());
    this.random = new SplittableRandom(p.seed());
    this.phi = CoreInternals.detector(config, InstantSource.fixed(STORED_AT));
    this.fixed = new FixedTimeoutDetector(p.agents(), p.fixedSuspect().toNanos(),
        p.fixedDead().toNanos());
    this.phiTally = new DetectionTally("phi accrual", p.agents());
    this.fixedTally = new DetectionTally("fixed timeout", p.agents());
    this.interval = p.interval().toNanos();
    this.latency = p.storeLatency().toNanos();
    this.horizon = (long) (p.hours() * 3600e9);
    int n = p.agents();
    ids = new String[n];
    runs = new String[n];
    pending = new long[n];
    sendAt = new long[n];
    nextPause = new long[n];
    sequence = new long[n];
    run = new int[n];
    crashed = new boolean[n];
    crashAt = new long[n];
    lastStored = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = "agent-" + i;
      index.put(ids[i], i);
      run[i] = 1;
      runs[i] = "run-1";
      nextPause[i] = gap(p.pausesPerHour());
      schedule(i, (long) (random.nextDouble() * interval));
      scheduleCrash(i, 0);
    }
  }

  public static void main(String[] args) {
    SimulationParams params = SimulationParams.parse(args);
    System.out.println("# Detection quality simulation");
    System.out.println();
    System.out.println(params.describe());
    DetectionSimulator sim = new DetectionSimulator(params);
    System.out.println("phi accrual: " + sim.config + " (worst case " + sim.config
        .worstCaseDetection() + ")");
    long start = System.nanoTime();
    sim.run();
    System.out.println();
    System.out.println(sim.report((System.nanoTime() - start) / 1e9));
  }

  void run() {
    long poll = config.pollInterval().toNanos();
    long hour = 3600_000_000_000L;
    for (long now = poll; now <= horizon; now += poll) {
      for (AgentChange c : phi.evaluate(now)) {
        judge(c, now);
      }
      fixed.evaluate(now, fixedVerdicts);
      while (!events.isEmpty() && EventQueue.timeNanos(events.peek()) <= now) {
        long e = events.pop();
        int i = EventQueue.agent(e);
        switch (EventQueue.kind(e)) {
          case BEAT -> beat(i, e, now);
          case CRASH -> crash(i, EventQueue.timeNanos(e));
          default -> restart(i, EventQueue.timeNanos(e));
        }
      }
      if (now % hour == 0) {
        System.err.printf(Locale.ROOT, "simulated %d h%n", now / hour);
      }
    }
    for (int i = 0; i < crashed.length; i++) {
      if (crashed[i]) {
        downtime += horizon - crashAt[i];
        if (horizon - crashAt[i] > 2 * config.worstCaseDetection().toNanos()) {
          phiTally.closeCrash(i);
          fixedTally.closeCrash(i);
        }
      }
    }
  }

  private void beat(int i, long event, long now) {
    if (pending[i] != event) {
      return; // cancelled by a crash before it was sent
    }
    pending[i] = -1;
    beats++;
    long sent = sendAt[i];
    if (random.nextDouble() < p.loss()) {
      lost++;
    } else {
      lastStored[i] = sent + latency;
      Heartbeat h = new Heartbeat(ids[i], runs[i], ++sequence[i], Optional.empty(),
          AgentStatus.IDLE, OptionalDouble.empty(),
          Optional.empty(), Optional.empty(), STORED_AT, Optional.empty());
      for (AgentChange c : phi.observe(h, now, null)) {
        judge(c, now);
      }
      fixed.observe(i, now);
    }
    if (!crashed[i]) {
      long jitter = (long) ((random.nextDouble() * 2 - 1) * p.jitter().toNanos());
      schedule(i, sent + interval + jitter);
    }
  }

  /** Schedules agent {@code i}'s next beat at {@code send}, or when a pause there ends. */
  private void schedule(int i, long send) {
    long s = send;
    if (p.pausesPerHour() > 0) {
      while (nextPause[i] <= s) {
        long end = nextPause[i] + pauseLength();
        if (s < end) {
          s = end;
          delayedByPause++;
        }
        nextPause[i] += gap(p.pausesPerHour());
      }
    }
    sendAt[i] = s;
    pending[i] = events.push(s + latency, BEAT, i);
  }

  private void crash(int i, long at) {
    crashes++;
    crashed[i] = true;
    crashAt[i] = at;
    if (pending[i] != -1 && sendAt[i] >= at) {
      pending[i] = -1;
    }
    phiTally.crashed(i);
    fixedTally.crashed(i);
    events.push(at + p.restartAfter().toNanos(), RESTART, i);
  }

  private void restart(int i, long at) {
    phiTally.closeCrash(i);
    fixedTally.closeCrash(i);
    crashed[i] = false;
    downtime += at - crashAt[i];
    runs[i] = "run-" + ++run[i];
    sequence[i] = 0;
    schedule(i, at);
    scheduleCrash(i, at);
  }

  private void scheduleCrash(int i, long from) {
    long at = from + gap(p.crashesPerHour());
    if (at <= horizon) {
      events.push(at, CRASH, i);
    }
  }

  private void judge(AgentChange c, long now) {
    int i = index.get(c.agentId());
    switch (c.kind()) {
      case SUSPECTED -> phiTally.suspected(i, crashed[i], now - crashAt[i]);
      case DIED -> phiTally.died(i, crashed[i], now - crashAt[i], now - lastStored[i]);
      default -> { }
    }
  }

  private final FixedTimeoutDetector.Verdicts fixedVerdicts = new FixedTimeoutDetector.Verdicts() {
    @Override
    public void suspected(int agent, long now) {
      fixedTally.suspected(agent, crashed[agent], now - crashAt[agent]);
    }

    @Override
    public void died(int agent, long now) {
      fixedTally.died(agent, crashed[agent], now - crashAt[agent], now - lastStored[agent]);
    }
  };

  /** Nanos to the next event of a Poisson process with {@code perHour} events an hour. */
  private long gap(double perHour) {
    if (perHour <= 0) {
      return Long.MAX_VALUE / 4;
    }
    return (long) (-Math.log(1 - random.nextDouble()) * 3600e9 / perHour);
  }

  private long pauseLength() {
    long mean = p.pause().toNanos();
    return p.pauseDistribution().equals("exp")
        ? (long) (-Math.log(1 - random.nextDouble()) * mean) : mean;
  }

  String report(double seconds) {
    double agentHours = (p.agents() * (double) horizon - downtime) / 3600e9;
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%d beats sent, %d lost (%.2f %%), %d held back by a "
        + "GC pause; %d crashes; %.0f agent-hours alive; simulated in %.0f s%n%n", beats, lost,
        100.0 * lost / Math.max(1, beats), delayedByPause, crashes, agentHours, seconds));
    out.append(DetectionTally.header()).append('\n');
    for (DetectionTally t : Arrays.asList(phiTally, fixedTally)) {
      out.append(t.row(agentHours)).append('\n');
    }
    long p99 = phiTally.deadAfterCrash(99);
    double falseDead = phiTally.falseDeaths * 10_000 / agentHours;
    out.append(String.format(Locale.ROOT, "%nGoals for phi accrual: crash DEAD within 30 s at "
        + "p99: %s (%.1f s); fewer than 1 false DEAD per 10,000 agent-hours: %s (%.2f)%n",
        p99 >= 0 && p99 <= 30_000_000_000L ? "met" : "NOT met", p99 / 1e9,
        falseDead < 1 ? "met" : "NOT met", falseDead));
    return out.toString();
  }
}
