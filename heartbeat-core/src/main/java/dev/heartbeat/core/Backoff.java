package dev.heartbeat.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": after {@code n} consecutive failures the wait is
 * {@code d = min(base * 2^(n-1), max)}, drawn uniformly from {@code [d/2, d]}, so that many
 * processes that failed together do not retry together.
 */
final class Backoff {
  private Backoff() {}

  static long delayNanos(Duration base, Duration max, long failures) {
    long baseNanos = base.toNanos();
    long maxNanos = max.toNanos();
    int shift = (int) Math.min(Math.max(failures - 1, 0), 30);
    long d = baseNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, baseNanos << shift);
    long half = d / 2;
    return half + ThreadLocalRandom.current().nextLong(d - half + 1);
  }
}
