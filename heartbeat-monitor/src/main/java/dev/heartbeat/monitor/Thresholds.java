package dev.heartbeat.monitor;

import dev.heartbeat.DetectorConfig;
import java.time.Duration;

/**
 * The thresholds an operator may set, each {@code null} when not given: a last beat older than
 * {@code suspectAfter} makes an agent SUSPECT (the detector's hard timeout), older than
 * {@code deadAfter} DEAD (hard timeout plus suspicion grace), and a working agent without
 * progress for {@code stallAfter} STALLED. What is not given comes from
 * {@link DetectorConfig#forInterval}.
 *
 * @param suspectAfter SUSPECT beyond this beat age, or {@code null}
 * @param deadAfter DEAD beyond this beat age, or {@code null}
 * @param stallAfter STALLED beyond this time without progress, or {@code null}
 */
public record Thresholds(Duration suspectAfter, Duration deadAfter, Duration stallAfter) {
  /** No threshold given: every one follows the agent's interval. */
  public static final Thresholds DEFAULTS = new Thresholds(null, null, null);

  /**
   * Checks the thresholds.
   *
   * @throws IllegalArgumentException when {@code deadAfter} is not longer than
   *     {@code suspectAfter}
   */
  public Thresholds {
    if (suspectAfter != null && deadAfter != null && deadAfter.compareTo(suspectAfter) <= 0) {
      throw new IllegalArgumentException("--dead-after must be longer than --suspect-after ("
          + Durations.format(suspectAfter) + "), got " + Durations.format(deadAfter));
    }
  }

  /**
   * The beat age beyond which an agent is SUSPECT.
   *
   * @param interval the agent's beat interval
   * @return the bound
   */
  public Duration suspect(Duration interval) {
    return suspectAfter != null ? suspectAfter : DetectorConfig.forInterval(interval).hardTimeout();
  }

  /**
   * The beat age beyond which an agent is DEAD.
   *
   * @param interval the agent's beat interval
   * @return the bound
   */
  public Duration dead(Duration interval) {
    return deadAfter != null ? deadAfter
        : suspect(interval).plus(DetectorConfig.forInterval(interval).suspicionGrace());
  }

  /**
   * The time without progress beyond which a working agent is STALLED.
   *
   * @param interval the agent's beat interval
   * @return the bound
   */
  public Duration stall(Duration interval) {
    return stallAfter != null ? stallAfter : DetectorConfig.forInterval(interval).stallAfter();
  }

  /**
   * The configuration of a running detector for agents beating every {@code interval}.
   *
   * @param interval the agents' beat interval
   * @return the detector's configuration
   * @throws IllegalArgumentException when a threshold does not fit the interval
   */
  public DetectorConfig detector(Duration interval) {
    Duration suspect = suspect(interval);
    if (suspect.compareTo(interval) <= 0) {
      throw new IllegalArgumentException("--suspect-after must be longer than the beat "
          + "interval (" + Durations.format(interval) + "), got " + Durations.format(suspect));
    }
    return DetectorConfig.forInterval(interval).withHardTimeout(suspect)
        .withSuspicionGrace(dead(interval).minus(suspect)).withStallAfter(stall(interval));
  }
}
