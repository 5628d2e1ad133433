package dev.heartbeat.core;

import dev.heartbeat.TaskHandler;
import dev.heartbeat.spi.Checks;
import java.time.Duration;

/** A worker's validated settings. */
record WorkerSettings(String queue, int concurrency, TaskHandler handler, Duration interval,
    Duration claimTtl, Duration pollInterval, Duration drainTimeout) {
  static final int MAX_CONCURRENCY = 10_000;
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  static final Duration DEFAULT_CLAIM_TTL = Duration.ofSeconds(30);
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  WorkerSettings {
    Checks.id("queue", queue);
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency must be in [1, " + MAX_CONCURRENCY
          + "], got " + concurrency);
    }
    Checks.notNull("handler", handler);
    Checks.positive("interval", interval);
    Checks.positive("claimTtl", claimTtl);
    Checks.positive("pollInterval", pollInterval);
    Checks.notNull("drainTimeout", drainTimeout);
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drainTimeout must not be negative, got "
          + drainTimeout);
    }
    if (claimTtl.compareTo(interval.multipliedBy(3)) < 0) {
      throw new IllegalArgumentException("claimTtl must be at least three intervals (3 x "
          + interval + "), got " + claimTtl);
    }
  }
}
