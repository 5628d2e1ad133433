package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;

/**
 * How an agent beats. Immutable and validated: every bad value is rejected with a message that
 * names it.
 *
 * @param interval time between beats; default {@value #DEFAULT_INTERVAL_SECONDS} s
 * @param maxBackoff the longest wait between attempts while the store fails (attempts back off
 *     exponentially from {@code interval}, with jitter); at least {@code interval}; default
 *     {@value #DEFAULT_MAX_BACKOFF_INTERVALS} intervals
 */
public record AgentConfig(Duration interval, Duration maxBackoff) {
  /** Default beat interval in seconds. */
  public static final long DEFAULT_INTERVAL_SECONDS = 5;
  /** Default maximum backoff, in intervals. */
  public static final long DEFAULT_MAX_BACKOFF_INTERVALS = 4;
  /** The defaults: a beat every 5 s, backing off to 20 s while the store fails. */
  public static final AgentConfig DEFAULTS = of(Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS));

  /** Checks the components; see the class comment for what each must be. */
  public AgentConfig {
    Checks.positive("interval", interval);
    Checks.positive("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(interval) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least interval (" + interval
          + "), got " + maxBackoff);
    }
  }

  /**
   * An interval with the default backoff for it.
   *
   * @param interval the interval between beats
   * @return an interval with the default backoff for it
   */
  public static AgentConfig of(Duration interval) {
    Checks.positive("interval", interval);
    return new AgentConfig(interval, interval.multipliedBy(DEFAULT_MAX_BACKOFF_INTERVALS));
  }

  /**
   * A copy with another interval; the backoff grows with it if it would fall below.
   *
   * @param newInterval the new interval
   * @return a copy with another interval; the backoff grows with it if it would fall below
   */
  public AgentConfig withInterval(Duration newInterval) {
    Checks.positive("interval", newInterval);
    Duration backoff = maxBackoff.compareTo(newInterval) < 0
        ? newInterval.multipliedBy(DEFAULT_MAX_BACKOFF_INTERVALS) : maxBackoff;
    return new AgentConfig(newInterval, backoff);
  }

  /**
   * A copy with another maximum backoff.
   *
   * @param value the new maximum backoff
   * @return a copy with another maximum backoff
   */
  public AgentConfig withMaxBackoff(Duration value) {
    return new AgentConfig(interval, value);
  }
}
