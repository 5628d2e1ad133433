package dev.heartbeat.core;

/**
 * Phi accrual suspicion (Hayashibara et al., as in Akka and Cassandra) over a sliding window of
 * inter-arrival times. {@code phi(t) = -log10(P(X > t))} for X normal with the window's mean plus
 * the acceptable pause and its standard deviation, at least the minimum; the tail uses the
 * logistic approximation of the normal CDF that Akka uses. The window starts with two samples
 * around the expected interval (standard deviation a quarter of it), as Akka does, until real
 * samples push them out. Not thread-safe; times in nanoseconds, samples kept in milliseconds.
 */
final class PhiAccrual {
  private final int[] window; // milliseconds: 4 bytes a sample, 100,000 agents x 100 = 40 MB
  private int count;
  private int next;
  private double sum; // of samples, in ms
  private double sumOfSquares;

  PhiAccrual(int windowSize, long expectedIntervalNanos) {
    this.window = new int[windowSize];
    long spread = expectedIntervalNanos / 4;
    add(expectedIntervalNanos - spread);
    add(expectedIntervalNanos + spread);
  }

  /** Adds one inter-arrival time; the oldest falls out when the window is full. */
  void add(long intervalNanos) {
    if (count == window.length) {
      double old = window[next];
      sum -= old;
      sumOfSquares -= old * old;
    } else {
      count++;
    }
    int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(0, intervalNanos / 1_000_000));
    window[next] = ms;
    next = (next + 1) % window.length;
    sum += ms;
    sumOfSquares += (double) ms * ms;
  }

  /** The mean inter-arrival time, in nanoseconds. */
  long meanNanos() {
    return (long) (sum / count * 1_000_000);
  }

  /** The standard deviation of the window, in milliseconds. */
  double stdDeviationMillis() {
    double mean = sum / count;
    return Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean));
  }

  /** The suspicion level after {@code silenceNanos} without a beat. */
  double phi(long silenceNanos, long minStdDeviationNanos, long acceptablePauseNanos) {
    return phi(millis(silenceNanos), sum / count + millis(acceptablePauseNanos),
        Math.max(stdDeviationMillis(), millis(minStdDeviationNanos)));
  }

  static double phi(double t, double mean, double stdDeviation) {
    double y = (t - mean) / stdDeviation;
    double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
    double phi = t > mean ? -Math.log10(e / (1.0 + e)) : -Math.log10(1.0 - 1.0 / (1.0 + e));
    return Math.max(0.0, phi); // never -0.0
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
