package dev.heartbeat.core;

/**
 * What the whole fleet teaches about long silences of live agents: the tail of the excess of
 * their inter-arrival times over their beat interval, pooled over every agent the detector
 * watches, so that the rare long silence (the fifth failed beat in a row, a 20 s pause) is
 * learned from thousands of agents' history rather than from one agent's window of 100 samples.
 *
 * <p>The model (peaks over a threshold): excesses beyond a cutoff {@code u} are taken to fall off
 * exponentially, {@code P(excess > x) = p_u * exp(-(x - u) / beta)}, with {@code p_u} the share
 * of samples past the cutoff and {@code beta} their mean excess over it (the maximum-likelihood
 * fit), each decayed with a half-life of {@value #HALF_LIFE} samples so that the fleet's present
 * counts more than its past. The fit uses the highest of {@value #LEVELS} cutoffs, half a beat
 * interval apart from twice the poll interval, that {@value #MIN_TAIL} samples or more passed, so
 * that the body of the distribution (jitter, a pause that only just delays a beat) does not bend
 * the tail. At the lowest cutoff a prior of {@value #PRIOR_SAMPLES} tail samples with a mean
 * excess of a tenth of the beat interval stands in until the fleet has shown its tail, and
 * {@code beta} is raised by two standard errors, so that a thin history errs towards waiting
 * longer. Not thread-safe; times in nanoseconds.
 */
final class FleetTail {
  static final int HALF_LIFE = 200_000;
  static final int LEVELS = 5;
  static final int MIN_TAIL = 100;
  static final int PRIOR_SAMPLES = 3;
  private static final double DECAY = 1 - Math.log(2) / HALF_LIFE;

  private final long[] cutoffs = new long[LEVELS];
  private final double priorBeta;
  private double samples;
  private final double[] tail = new double[LEVELS];
  private final double[] tailExcess = new double[LEVELS]; // sum of (excess - cutoff) past each

  /**
   * @param cutoffNanos the lowest cutoff: excesses up to this are the body (jitter, rounding to
   *     the poll interval)
   * @param intervalNanos the fleet's usual beat interval: the cutoffs' step and the prior
   */
  FleetTail(long cutoffNanos, long intervalNanos) {
    for (int k = 0; k < LEVELS; k++) {
      cutoffs[k] = cutoffNanos + k * (intervalNanos / 2);
    }
    this.priorBeta = intervalNanos / 10.0;
  }

  /** One inter-arrival time of a live agent, less its beat interval. */
  void add(long excessNanos) {
    samples = samples * DECAY + 1;
    for (int k = 0; k < LEVELS; k++) {
      tail[k] *= DECAY;
      tailExcess[k] *= DECAY;
      if (excessNanos > cutoffs[k]) {
        tail[k] += 1;
        tailExcess[k] += excessNanos - cutoffs[k];
      }
    }
  }

  /**
   * The excess over the beat interval that a live agent's silence reaches with probability
   * {@code 10^-phi} per beat under the fitted tail, at least the lowest cutoff.
   */
  long excessNanos(double phi) {
    int k = LEVELS - 1;
    while (k > 0 && tail[k] < MIN_TAIL) {
      k--;
    }
    double prior = k == 0 ? PRIOR_SAMPLES : 0;
    double n = tail[k] + prior;
    double beta = (tailExcess[k] + prior * priorBeta) / n * (1 + 2 / Math.sqrt(n));
    double share = (tail[k] + 1) / (samples + 1);
    double x = cutoffs[k] + beta * (Math.log(share) + phi * Math.log(10));
    return (long) Math.max(cutoffs[0], Math.min(x, 1e15));
  }

  /** Samples seen, decayed (for tests). */
  double samples() {
    return samples;
  }
}
