package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;

/**
 * Timing of a held lease. The safety rules are checked here, so there is no unsafe setting:
 * <ul>
 *   <li>{@code ttl} is at least twice {@code renewInterval}, so one failed renewal never loses
 *       the lease;</li>
 *   <li>{@code renewInterval < renewDeadline < ttl}: the holder stops acting as holder at
 *       {@code renewDeadline} after it <em>sent</em> its last successful renewal (measured on the
 *       local monotonic clock), which is before the store can expire it at {@code ttl} after it
 *       received that renewal. The difference is the margin for clock drift and for the
 *       {@code revoked} listener to stop work.</li>
 * </ul>
 *
 * @param ttl how long the store keeps the lease after each acquisition or renewal; default 15 s
 * @param renewInterval how often the holder renews; default {@code ttl / 3}
 * @param renewDeadline how long after a renewal was sent the holder may act without another
 *     success; default {@code 2 * ttl / 3}
 * @param retryInterval how often a candidate retries to acquire a taken lease; default
 *     {@code ttl / 3}
 */
public record LeaseConfig(Duration ttl, Duration renewInterval, Duration renewDeadline,
    Duration retryInterval) {
  /** Default time-to-live in seconds. */
  public static final long DEFAULT_TTL_SECONDS = 15;
  /** TTL 15 s, renew every 5 s, step down 10 s after the last successful renewal was sent. */
  public static final LeaseConfig DEFAULTS = ofTtl(Duration.ofSeconds(DEFAULT_TTL_SECONDS));

  public LeaseConfig {
    Checks.positive("ttl", ttl);
    Checks.positive("renewInterval", renewInterval);
    Checks.positive("renewDeadline", renewDeadline);
    Checks.positive("retryInterval", retryInterval);
    if (ttl.compareTo(renewInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("ttl must be at least 2 x renewInterval (" + renewInterval
          + "), got ttl " + ttl);
    }
    if (renewDeadline.compareTo(renewInterval) <= 0) {
      throw new IllegalArgumentException("renewDeadline must be longer than renewInterval ("
          + renewInterval + "), got " + renewDeadline);
    }
    if (renewDeadline.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException("renewDeadline must be shorter than ttl (" + ttl
          + "), got " + renewDeadline);
    }
  }

  /** The defaults derived from one TTL: renew every third, step down after two thirds. */
  public static LeaseConfig ofTtl(Duration ttl) {
    Checks.positive("ttl", ttl);
    Duration third = ttl.dividedBy(3);
    if (third.isZero()) {
      throw new IllegalArgumentException("ttl must be at least 3 ns, got " + ttl);
    }
    return new LeaseConfig(ttl, third, third.multipliedBy(2), third);
  }
}
