package dev.heartbeat.benchmarks.detection;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.core.internal.CoreInternals;
import dev.heartbeat.core.internal.DetectorJudge;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Detection quality, not speed: many agents over simulated hours, with jitter, failed beats and
 * the engine's retries, pauses of the agents and of the detector, and crashes, judged side by
 * side by phi accrual ({@link DetectorJudge} with {@link DetectorConfig#forInterval} of the beat
 * interval, {@link DetectorConfig#DEFAULTS} at 5 s) and by a sweep of fixed timeouts
 * ({@link FixedTimeoutSweep}) on the same seeded stream of events. {@link SimulationReport}
 * prints the tables.
 *
 * <p>The model, after the engine ({@code AgentScheduler}): an agent's next beat is due one
 * interval after the previous one was sent ({@code nextDue = sentAt + interval} in
 * {@code completed}), moved by a uniform jitter (the ticker's lateness); a beat reaches the store
 * after the store latency or fails with the loss probability, and the agent learns the failure
 * then ({@code completed} with an error, {@code failure}): its next attempt is due
 * {@code Backoff.beatRetryNanos(interval, maxBackoff, failures)} later, a fifth of the interval
 * (drawn from [interval/10, interval/5]) for the first {@code Backoff.QUICK_RETRIES} = 4 failures
 * in a row and then exponential backoff from the interval ({@code Backoff.delayNanos}: after n
 * failures past the quick ones, uniform in [d/2, d] with d = min(interval x 2^(n-1),
 * maxBackoff)); {@code --retry backoff} models the engine before the quick retries (the backoff
 * from the first failure). A pause of the agent (a Poisson process) holds back an attempt due
 * inside it until it ends. The detector runs a round every poll interval as the real one
 * ({@code DetectorImpl.tick}): it judges first, then reads what was stored by then (arrival = the
 * round's instant); a pause of the detector's process delays its round to the pause's end, and a
 * round later than {@code localPauseTolerance} judges nobody and excuses the lateness
 * ({@code core.shift}). A crash (a Poisson process per agent) stops the agent's beats; it comes
 * back as a new run after {@code restart-after}. Events are streamed in time order from one heap
 * holding at most a few per agent.
 */
public final class DetectionSimulator {
  private static final int BEAT = 0;
  private static final int CRASH = 1;
  private static final int RESTART = 2;
  private static final int QUICK_RETRIES = 4; // Backoff.QUICK_RETRIES
  private static final Instant STORED_AT = Instant.parse("2026-01-01T00:00:00Z");

  final SimulationParams p;
  final DetectorConfig config;
  private final SplittableRandom random;
  private final EventQueue events = new EventQueue();
  private final DetectorJudge phi;
  final FixedTimeoutSweep fixed;
  final DetectionTally phiTally;
  private final String[] ids;
  private final String[] runs;
  private final Map<String, Integer> index = new HashMap<>();
  private final long interval;
  private final long latency;
  final long horizon;
  // the truth, per agent
  private final long[] pending;
  private final long[] sendAt;
  private final long[] nextPause;
  private final long[] sequence;
  private final long[] failures;
  private final int[] run;
  private final boolean[] crashed;
  private final long[] crashAt;
  private final long[] lastStored;
  long downtime;
  long beats;
  long lost;
  long delayedByPause;
  long crashes;
  long detectorPauses;

  DetectionSimulator(SimulationParams p, DetectorConfig config) {
    this.p = p;
    this.config = config;
    this.random = new SplittableRandom(p.seed());
    this.phi = CoreInternals.detector(config, InstantSource.fixed(STORED_AT));
    int steps = (int) (p.sweepTo().toSeconds() - p.sweepFrom().toSeconds()) + 1;
    long[] thresholds = new long[steps];
    for (int k = 0; k < steps; k++) {
      thresholds[k] = (p.sweepFrom().toSeconds() + k) * 1_000_000_000L;
    }
    this.fixed = new FixedTimeoutSweep(p.agents(), thresholds);
    this.phiTally = new DetectionTally("phi accrual", p.agents());
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
    failures = new long[n];
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

  /**
   * {@code simulate.sh [--scenario a|b|c|d|all] [--name value ...]}: one report per scenario,
   * the scenario's settings over the defaults and the options given.
   */
  public static void main(String[] args) {
    String scenario = null;
    java.util.List<String> rest = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--scenario") && i + 1 < args.length) {
        scenario = args[++i];
      } else {
        rest.add(args[i]);
      }
    }
    String[] names = scenario == null ? new String[] {null}
        : scenario.equals("all") ? new String[] {"a", "b", "c", "d"} : new String[] {scenario};
    System.out.println("# Detection quality simulation");
    for (String name : names) {
      java.util.List<String> all = new java.util.ArrayList<>();
      if (name != null) {
        all.addAll(java.util.List.of(SimulationParams.scenario(name)));
      }
      all.addAll(rest);
      SimulationParams params = SimulationParams.parse(all.toArray(String[]::new));
      DetectionSimulator sim = new DetectionSimulator(params,
          DetectorConfig.forInterval(params.interval()));
      long start = System.nanoTime();
      sim.run();
      System.out.println();
      System.out.println(new SimulationReport(sim, name).render(
          (System.nanoTime() - start) / 1e9));
    }
  }

  void run() {
    long poll = config.pollInterval().toNanos();
    long tolerance = config.localPauseTolerance().toNanos();
    long hour = 3600_000_000_000L;
    long nextDetectorPause = gap(p.detectorPausesPerHour());
    long reported = 0;
    for (long round = poll; round <= horizon; round += poll) {
      long now = round;
      while (nextDetectorPause <= now) {
        long end = nextDetectorPause + p.detectorPause().toNanos();
        if (now < end) {
          now = end; // the round waits for the detector's process
          detectorPauses++;
        }
        nextDetectorPause += gap(p.detectorPausesPerHour());
      }
      fixed.nextRound();
      long late = now - round;
      if (late > tolerance) {
        phi.shift(late, now); // DetectorImpl.tick: a late round convicts nobody
        fixed.shift(late, now);
      } else {
        for (AgentChange c : phi.evaluate(now)) {
          judge(c, now);
        }
        fixed.evaluate(now);
      }
      while (!events.isEmpty() && EventQueue.timeNanos(events.peek()) <= now) {
        long e = events.pop();
        int i = EventQueue.agent(e);
        switch (EventQueue.kind(e)) {
          case BEAT -> beat(i, e, now);
          case CRASH -> crash(i, EventQueue.timeNanos(e));
          default -> restart(i, EventQueue.timeNanos(e));
        }
      }
      round = now; // the next round is a poll interval after this one ran
      if (now / hour > reported) {
        reported = now / hour;
        System.err.printf(Locale.ROOT, "simulated %d h%n", reported);
      }
    }
    for (int i = 0; i < crashed.length; i++) {
      if (crashed[i]) {
        downtime += horizon - crashAt[i];
        boolean count = horizon - crashAt[i] > 2 * config.worstCaseDetection().toNanos();
        if (count) {
          phiTally.closeCrash(i);
        }
        fixed.closeCrash(i, count && horizon - crashAt[i] > p.sweepTo().toNanos() + 2 * interval);
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
    long answered = sent + latency;
    if (random.nextDouble() < p.loss()) {
      lost++;
      failures[i]++;
      if (!crashed[i]) {
        schedule(i, answered + retryDelay(failures[i])); // AgentScheduler.failure
      }
      return;
    }
    failures[i] = 0;
    lastStored[i] = answered;
    Heartbeat h = new Heartbeat(ids[i], runs[i], ++sequence[i], Optional.empty(),
        AgentStatus.IDLE, OptionalDouble.empty(),
        Optional.empty(), Optional.empty(), STORED_AT, Optional.of(p.interval()));
    for (AgentChange c : phi.observe(h, now, null)) {
      judge(c, now);
    }
    fixed.arrived(i, answered, now, !crashed[i]);
    if (!crashed[i]) {
      long jitter = (long) ((random.nextDouble() * 2 - 1) * p.jitter().toNanos());
      schedule(i, sent + interval + jitter); // AgentScheduler.completed: sentAt + interval
    }
  }

  /** The engine's wait after {@code n} failed beats in a row: see the class comment. */
  private long retryDelay(long n) {
    if (p.retry().equals("quick") && n <= QUICK_RETRIES) {
      return equalJitter(interval / 5);
    }
    long k = p.retry().equals("quick") ? n - QUICK_RETRIES : n;
    long max = p.maxBackoff().toNanos();
    int shift = (int) Math.min(Math.max(k - 1, 0), 30);
    return equalJitter(interval > (max >> shift) ? max : Math.min(max, interval << shift));
  }

  private long equalJitter(long d) {
    long half = d / 2;
    return half + (long) (random.nextDouble() * (d - half));
  }

  /** Schedules agent {@code i}'s next attempt at {@code send}, or when a pause there ends. */
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
    fixed.crashed(i, at);
    events.push(at + p.restartAfter().toNanos(), RESTART, i);
  }

  private void restart(int i, long at) {
    phiTally.closeCrash(i);
    fixed.closeCrash(i, true);
    crashed[i] = false;
    downtime += at - crashAt[i];
    runs[i] = "run-" + ++run[i];
    sequence[i] = 0;
    failures[i] = 0;
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

  /** Agent-hours alive. */
  double agentHours() {
    return (p.agents() * (double) horizon - downtime) / 3600e9;
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
  }
}
