package dev.heartbeat.redis;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.Checks;
import java.time.Duration;

/**
 * How many replicas must acknowledge each lease write, and how long Redis {@code WAIT} waits for
 * them; {@link #NONE} (0 replicas) sends no {@code WAIT}. A write counts only when
 * {@link #check} passes: fewer acknowledgements are a {@link HeartbeatStoreException} naming the
 * counts.
 */
record Replicas(int count, Duration timeout) {
  /** No {@code WAIT}: every write counts once the primary applied it. */
  static final Replicas NONE = new Replicas(0, Duration.ZERO);

  boolean waiting() {
    return count > 0;
  }

  /** The {@code WAIT} timeout in whole milliseconds, at least 1 (0 would block for ever). */
  long timeoutMillis() {
    return Math.max(1, timeout.toMillis());
  }

  /** Throws unless {@code acknowledged} replicas are enough for {@code operation} to count. */
  void check(String store, String operation, long acknowledged) {
    if (acknowledged < count) {
      throw new HeartbeatStoreException(store, operation, shortfall(acknowledged));
    }
  }

  String shortfall(long acknowledged) {
    return "acknowledged by " + acknowledged + " of " + count + " replicas within "
        + timeoutMillis() + " ms";
  }

  /** Checks the builder's arguments. */
  static Replicas of(int count, Duration timeout) {
    Checks.atLeast("waitForReplicas replicas", count, 1);
    Checks.notNull("waitForReplicas timeout", timeout);
    if (timeout.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("waitForReplicas timeout must be at least 1 ms, got "
          + timeout);
    }
    return new Replicas(count, timeout);
  }
}
