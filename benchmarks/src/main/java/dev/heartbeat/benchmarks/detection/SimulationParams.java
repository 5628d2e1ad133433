package dev.heartbeat.benchmarks.detection;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The knobs of the {@link DetectionSimulator}, parsed from {@code --name value} arguments;
 * durations as {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 3m}, {@code 1h}.
 *
 * @param agents simulated agents
 * @param hours simulated hours
 * @param interval the agents' beat interval
 * @param jitter each interval is moved by a uniform amount in {@code [-jitter, +jitter]}
 * @param loss probability that a beat never reaches the store
 * @param pause length of an agent's GC pause (its beats wait until it ends)
 * @param pauseDistribution {@code fixed} (every pause {@code pause}) or {@code exp}
 *     (exponential with mean {@code pause})
 * @param pausesPerHour pauses per agent per hour (a Poisson process)
 * @param crashesPerHour crashes per agent per hour (a Poisson process)
 * @param restartAfter a crashed agent comes back as a new run this long after its crash
 * @param storeLatency from sending a beat to its being stored (or to its failure)
 * @param retry after a failed beat: {@code quick} (the engine's: a fifth of the interval four
 *     times, then exponential backoff) or {@code backoff} (the engine before: exponential backoff
 *     from the interval at once)
 * @param maxBackoff the agents' longest wait between attempts (AgentConfig default 4 intervals)
 * @param detectorPause length of a pause of the detector's own process (its rounds wait)
 * @param detectorPausesPerHour the detector's pauses per hour (a Poisson process)
 * @param sweepFrom the shortest fixed timeout of the sweep
 * @param sweepTo the longest fixed timeout of the sweep (1 s steps)
 * @param seed of the one random stream
 */
record SimulationParams(int agents, double hours, Duration interval, Duration jitter,
    double loss, Duration pause, String pauseDistribution, double pausesPerHour,
    double crashesPerHour, Duration restartAfter, Duration storeLatency, String retry,
    Duration maxBackoff, Duration detectorPause, double detectorPausesPerHour, Duration sweepFrom,
    Duration sweepTo, long seed) {

  /** Every option with its default, in the order of the record. */
  private static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("agents", "10000");
    d.put("hours", "10");
    d.put("interval", "5s");
    d.put("jitter", "500ms");
    d.put("loss", "0.01");
    d.put("pause", "2s");
    d.put("pause-dist", "fixed");
    d.put("pause-rate", "12");
    d.put("crash-rate", "0.01");
    d.put("restart-after", "120s");
    d.put("store-latency", "20ms");
    d.put("retry", "quick");
    d.put("max-backoff", "20s");
    d.put("detector-pause", "3s");
    d.put("detector-pause-rate", "2");
    d.put("sweep-from", "8s");
    d.put("sweep-to", "45s");
    d.put("seed", "1");
    return d;
  }

  SimulationParams {
    if (agents < 1 || agents >= EventQueue.MAX_AGENTS) {
      throw new IllegalArgumentException("agents must be in [1, " + EventQueue.MAX_AGENTS
          + "), got " + agents);
    }
    if (!(hours > 0) || hours > 24 * 20) {
      throw new IllegalArgumentException("hours must be in (0, 480], got " + hours);
    }
    if (!(loss >= 0 && loss < 1)) {
      throw new IllegalArgumentException("loss must be in [0, 1), got " + loss);
    }
    if (jitter.compareTo(interval) >= 0) {
      throw new IllegalArgumentException("jitter must be below interval, got " + jitter);
    }
    if (!pauseDistribution.equals("fixed") && !pauseDistribution.equals("exp")) {
      throw new IllegalArgumentException("pause-dist must be fixed or exp, got "
          + pauseDistribution);
    }
    if (pausesPerHour < 0 || crashesPerHour < 0 || detectorPausesPerHour < 0) {
      throw new IllegalArgumentException("rates must not be negative, got pause-rate "
          + pausesPerHour + ", crash-rate " + crashesPerHour + ", detector-pause-rate "
          + detectorPausesPerHour);
    }
    if (!retry.equals("quick") && !retry.equals("backoff")) {
      throw new IllegalArgumentException("retry must be quick or backoff, got " + retry);
    }
    if (sweepFrom.toSeconds() < 1 || sweepTo.compareTo(sweepFrom) < 0) {
      throw new IllegalArgumentException("sweep-from must be at least 1s and sweep-to not "
          + "below it, got " + sweepFrom + " and " + sweepTo);
    }
  }

  /**
   * The named scenarios of issue 21, each over the defaults: (a) 1 % loss and fixed 2 s pauses
   * (the defaults), (b) 5 % loss, (c) exponential pauses with a 2 s mean, (d) both.
   */
  static String[] scenario(String name) {
    return switch (name) {
      case "a" -> new String[0];
      case "b" -> new String[] {"--loss", "0.05"};
      case "c" -> new String[] {"--pause-dist", "exp"};
      case "d" -> new String[] {"--loss", "0.05", "--pause-dist", "exp"};
      default -> throw new IllegalArgumentException("scenario must be a, b, c, d or all, got "
          + name);
    };
  }

  static SimulationParams parse(String[] args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("arguments come in pairs (--name value), got "
          + String.join(" ", args));
    }
    Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : args[i];
      if (!DEFAULTS.containsKey(name)) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; options: --"
            + String.join(" --", DEFAULTS.keySet()));
      }
      v.put(name, args[i + 1]);
    }
    return new SimulationParams(Integer.parseInt(v.get("agents")),
        Double.parseDouble(v.get("hours")), duration(v.get("interval")),
        duration(v.get("jitter")), Double.parseDouble(v.get("loss")), duration(v.get("pause")),
        v.get("pause-dist"), Double.parseDouble(v.get("pause-rate")),
        Double.parseDouble(v.get("crash-rate")), duration(v.get("restart-after")),
        duration(v.get("store-latency")), v.get("retry"), duration(v.get("max-backoff")),
        duration(v.get("detector-pause")), Double.parseDouble(v.get("detector-pause-rate")),
        duration(v.get("sweep-from")), duration(v.get("sweep-to")), Long.parseLong(v.get("seed")));
  }

  static Duration duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    String[][] units = {{"ms", "1"}, {"s", "1000"}, {"m", "60000"}, {"h", "3600000"}};
    for (String[] unit : units) {
      if (s.endsWith(unit[0]) && !(unit[0].equals("s") && s.endsWith("ms"))) {
        double number = Double.parseDouble(s.substring(0, s.length() - unit[0].length()));
        return Duration.ofNanos(Math.round(number * Long.parseLong(unit[1]) * 1_000_000));
      }
    }
    throw new IllegalArgumentException("a duration needs a unit (ms, s, m, h), got '" + v + "'");
  }

  /** The parameters, one per line, for the report. */
  String describe() {
    return String.format(Locale.ROOT, """
        agents %d, simulated %.1f h (%.0f agent-hours), seed %d
        beats every %s, jitter +/- %s (uniform), store latency %s
        beat loss %.2f %%
        GC pauses: %s %s, %.1f per agent-hour
        retry after a failed beat: %s (max backoff %s)
        detector pauses: %s, %.1f per hour
        crashes: %.3f per agent-hour, restart as a new run %s after the crash
        fixed timeouts: DEAD after %s to %s of silence""",
        agents, hours, agents * hours, seed, interval, jitter, storeLatency, loss * 100,
        pauseDistribution, pause, pausesPerHour, retry, maxBackoff, detectorPause,
        detectorPausesPerHour, crashesPerHour, restartAfter, sweepFrom, sweepTo);
  }
}
