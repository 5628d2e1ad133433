package dev.heartbeat.benchmarks.detection;

import java.util.Arrays;

/**
 * The baseline for the {@link DetectionSimulator}: a fixed timeout, DEAD after a silence of
 * {@code D} whatever the agent's history, for every {@code D} of a sweep at once, on the same
 * rounds and the same arrivals as phi accrual (judged first, then the round's beats read; a late
 * round of the detector judges nobody and excuses its lateness, as the engine's detector does).
 * Also the truth about live agents: every silence between two stored beats of one run, the
 * physical bound of any detector that judges by silence.
 */
final class FixedTimeoutSweep {
  private static final long BIN = 100_000_000L; // 100 ms
  private static final int BINS = 6_000; // up to 600 s

  final long[] thresholds;
  private final long[] lastArrival;
  private final long[] shifted;
  private final long[] lastStored;
  private final boolean[] liveGap;
  /** Judged silences of live agents: the largest silence a round saw before the next beat. */
  private final long[] judged = new long[BINS + 1];
  /** Silences of live agents between stored beats, as they happened. */
  private final long[] raw = new long[BINS + 1];
  private final long[][] deadAfterCrash;
  private final int[] crashesSeen;
  private final long[] missed;
  private final int[] down;
  private int downCount;
  private final long[] crashAt;
  private final int[] nextThreshold;
  private long lastEvaluated;
  private boolean evaluatedNow;

  FixedTimeoutSweep(int agents, long[] thresholds) {
    this.thresholds = thresholds.clone();
    Arrays.sort(this.thresholds);
    lastArrival = new long[agents];
    shifted = new long[agents];
    lastStored = new long[agents];
    liveGap = new boolean[agents];
    deadAfterCrash = new long[thresholds.length][256];
    crashesSeen = new int[thresholds.length];
    missed = new long[thresholds.length];
    down = new int[agents];
    crashAt = new long[agents];
    nextThreshold = new int[agents];
    Arrays.fill(lastArrival, -1);
  }

  /** A round that judges, at {@code now}: convicts the crashed agents past each threshold. */
  void evaluate(long now) {
    lastEvaluated = now;
    evaluatedNow = true;
    for (int d = 0; d < downCount; d++) {
      int i = down[d];
      long silence = now - shifted[i];
      while (nextThreshold[i] < thresholds.length && silence >= thresholds[nextThreshold[i]]) {
        int k = nextThreshold[i]++;
        if (crashesSeen[k] == deadAfterCrash[k].length) {
          deadAfterCrash[k] = Arrays.copyOf(deadAfterCrash[k], crashesSeen[k] * 2);
        }
        deadAfterCrash[k][crashesSeen[k]++] = now - crashAt[i];
      }
    }
  }

  /** A late round at {@code now}: judges nobody and does not count {@code late} as silence. */
  void shift(long late, long now) {
    evaluatedNow = false;
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] += Math.max(0, Math.min(late, now - shifted[i])); // as AgentTrack.shift
    }
  }

  /** The next round begins (its reads come after its judgement). */
  void nextRound() {
    evaluatedNow = false;
  }

  /**
   * Agent {@code i}'s beat stored at {@code stored} is read at the round {@code now};
   * {@code live} is false for a beat sent just before a crash, so that the crash's silence does
   * not count as a live agent's.
   */
  void arrived(int i, long stored, long now, boolean live) {
    if (live && liveGap[i] && lastArrival[i] >= 0) {
      long seen = (evaluatedNow ? now : lastEvaluated) - shifted[i];
      judged[bin(seen)]++;
      raw[bin(stored - lastStored[i])]++;
    }
    liveGap[i] = live;
    lastArrival[i] = now;
    shifted[i] = now;
    lastStored[i] = stored;
  }

  void crashed(int i, long at) {
    liveGap[i] = false;
    crashAt[i] = at;
    nextThreshold[i] = 0;
    down[downCount++] = i;
  }

  /** The crashed agent restarts (or the run ends and its crash was long enough to count). */
  void closeCrash(int i, boolean count) {
    for (int d = 0; d < downCount; d++) {
      if (down[d] == i) {
        down[d] = down[--downCount];
        break;
      }
    }
    if (count) {
      for (int k = nextThreshold[i]; k < thresholds.length; k++) {
        missed[k]++;
      }
    }
  }

  /** Gaps of live agents a round judged at least {@code d} long: false DEADs at threshold d. */
  long falseDead(long d) {
    return atLeast(judged, d);
  }

  /** Live silences between stored beats at least {@code d} long. */
  long rawAtLeast(long d) {
    return atLeast(raw, d);
  }

  /**
   * The shortest silence that live agents exceeded at most {@code count} times: the
   * detection threshold below which a silence detector convicts live agents more often.
   */
  long rawExceededAtMost(long count) {
    long above = raw[BINS];
    for (int b = BINS - 1; b >= 0; b--) {
      if (above + raw[b] > count) {
        return (b + 1) * BIN;
      }
      above += raw[b];
    }
    return 0;
  }

  long deadAfterCrash(int k, int percentile) {
    long[] sorted = Arrays.copyOf(deadAfterCrash[k], crashesSeen[k]);
    Arrays.sort(sorted);
    return DetectionTally.percentile(sorted, percentile);
  }

  long missed(int k) {
    return missed[k];
  }

  private static long atLeast(long[] histogram, long d) {
    long n = 0;
    for (int b = (int) Math.min(BINS, d / BIN); b <= BINS; b++) {
      n += histogram[b];
    }
    return n; // bins are 100 ms and the thresholds whole multiples of them
  }

  private static int bin(long nanos) {
    return (int) Math.min(BINS, Math.max(0, nanos) / BIN);
  }
}
