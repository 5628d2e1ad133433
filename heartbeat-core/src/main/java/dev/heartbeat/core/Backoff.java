package dev.heartbeat.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": after {@code n} consecutive failures the wait is
 * {@code d = min(base * 2^(n-1), max)}, drawn uniformly from {@code [d/2, d]}, so that many
 * processes that failed together do not retry together.
 */
final class Backoff {
  /** Failed beats in a row retried after a fifth of the interval, before the backoff starts. */
  static final int QUICK_RETRIES = 4;

  private Backoff() {}

  /**
   * The wait before the next attempt of a beat after {@code failures} failed in a row: the first
   * {@link #QUICK_RETRIES} drawn from {@code [interval/10, interval/5]}, so that one failed write
   * (a dropped connection, a failover) costs about a second of silence at 5 s beats, not an
   * interval, while a store that stays down sees at most four extra attempts per agent before the
   * exponential backoff from {@code interval} (as {@link #delayNanos}) takes over.
   */
  static long beatRetryNanos(Duration interval, Duration max, long failures) {
    if (failures <= QUICK_RETRIES) {
      long d = Math.max(2, interval.toNanos() / 5);
      long half = d / 2;
      return half + ThreadLocalRandom.current().nextLong(d - half + 1);
    }
    return delayNanos(interval, max, failures - QUICK_RETRIES);
  }

  static long delayNanos(Duration base, Duration max, long failures) {
    long baseNanos = base.toNanos();
    long maxNanos = max.toNanos();
    int shift = (int) Math.min(Math.max(failures - 1, 0), 30);
    long d = baseNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, baseNanos << shift);
    long half = d / 2;
    return half + ThreadLocalRandom.current().nextLong(d - half + 1);
  }
}
