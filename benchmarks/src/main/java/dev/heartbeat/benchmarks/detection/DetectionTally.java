package dev.heartbeat.benchmarks.detection;

import java.util.Arrays;
import java.util.Locale;

/**
 * What one detector concluded in the {@link DetectionSimulator}, judged against the truth: how
 * long after each crash it suspected and convicted the agent, and how often it suspected or
 * convicted an agent that had not crashed.
 */
final class DetectionTally {
  final String name;
  private final boolean[] convicted;
  private final boolean[] suspected;
  private long[] deadAfterCrash = new long[256];
  private long[] deadAfterLastBeat = new long[256];
  private long[] suspectAfterCrash = new long[256];
  private int dead;
  private int suspects;
  long falseSuspects;
  long falseDeaths;
  long missed;

  DetectionTally(String name, int agents) {
    this.name = name;
    this.convicted = new boolean[agents];
    this.suspected = new boolean[agents];
  }

  /** An agent crashed: the next verdicts on it are true ones. */
  void crashed(int agent) {
    convicted[agent] = false;
    suspected[agent] = false;
  }

  /** A crashed agent restarts (or the run ends): its crash should have been convicted by now. */
  void closeCrash(int agent) {
    if (!convicted[agent]) {
      missed++;
    }
  }

  void suspected(int agent, boolean crashed, long sinceCrash) {
    if (!crashed) {
      falseSuspects++;
      return;
    }
    if (suspected[agent]) {
      return;
    }
    suspected[agent] = true;
    if (suspects == suspectAfterCrash.length) {
      suspectAfterCrash = Arrays.copyOf(suspectAfterCrash, suspects * 2);
    }
    suspectAfterCrash[suspects++] = sinceCrash;
  }

  void died(int agent, boolean crashed, long sinceCrash, long sinceLastBeat) {
    if (!crashed) {
      falseDeaths++;
      return;
    }
    if (convicted[agent]) {
      return;
    }
    convicted[agent] = true;
    if (dead == deadAfterCrash.length) {
      deadAfterCrash = Arrays.copyOf(deadAfterCrash, dead * 2);
      deadAfterLastBeat = Arrays.copyOf(deadAfterLastBeat, dead * 2);
    }
    deadAfterCrash[dead] = sinceCrash;
    deadAfterLastBeat[dead++] = sinceLastBeat;
  }

  /** One row of the report's table. */
  String row(double agentHours) {
    long[] byCrash = sorted(deadAfterCrash, dead);
    long[] byBeat = sorted(deadAfterLastBeat, dead);
    long[] suspect = sorted(suspectAfterCrash, suspects);
    double per = 10_000 / agentHours;
    return String.format(Locale.ROOT,
        "| %-14s | %5d | %7s | %7s | %7s | %7s | %7s | %7s | %8.1f (%d) | %7.2f (%d) | %d |",
        name, dead, seconds(percentile(suspect, 50)), seconds(percentile(suspect, 99)),
        seconds(percentile(byCrash, 50)), seconds(percentile(byCrash, 99)),
        seconds(percentile(byCrash, 100)), seconds(percentile(byBeat, 100)),
        falseSuspects * per, falseSuspects, falseDeaths * per, falseDeaths, missed);
  }

  static String header() {
    return "| detector       | crashes convicted | SUSPECT after crash p50 | p99 | DEAD after "
        + "crash p50 | p99 | max | DEAD after last stored beat, max | false SUSPECT per 10k "
        + "agent-h (count) | false DEAD per 10k agent-h (count) | crashes missed |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  }

  /** The p-th percentile of the DEAD-after-crash times, in nanos, or -1 without crashes. */
  long deadAfterCrash(int p) {
    return percentile(sorted(deadAfterCrash, dead), p);
  }

  private static long[] sorted(long[] values, int n) {
    long[] copy = Arrays.copyOf(values, n);
    Arrays.sort(copy);
    return copy;
  }

  /** Nearest-rank percentile; -1 when empty. */
  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static String seconds(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
