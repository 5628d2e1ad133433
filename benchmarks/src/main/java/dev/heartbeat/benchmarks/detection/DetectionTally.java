package dev.heartbeat.benchmarks.detection;

import java.util.Arrays;

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
}
