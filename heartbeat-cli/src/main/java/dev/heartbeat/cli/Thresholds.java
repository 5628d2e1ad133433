package dev.heartbeat.cli;

import dev.heartbeat.DetectorConfig;
import java.time.Duration;

/**
 * The thresholds an operator may set, each {@code null} when not given: a last beat older than
 * {@code suspectAfter} makes an agent SUSPECT (the detector's hard timeout), older than
 * {@code deadAfter} DEAD (hard timeout plus suspicion grace), and a working agent without
 * progress for {@code stallAfter} STALLED. What is not given comes from
 * {@link DetectorConfig#forInterval}.
 */
record Thresholds(Duration suspectAfter, Duration deadAfter, Duration stallAfter) {
  static final Thresholds DEFAULTS = new Thresholds(null, null, null);

  Thresholds {
    if (suspectAfter != null && deadAfter != null && deadAfter.compareTo(suspectAfter) <= 0) {
      throw new CliFailure(ExitCodes.USAGE, "--dead-after must be longer than --suspect-after ("
          + Durations.format(suspectAfter) + "), got " + Durations.format(deadAfter));
    }
  }

  Duration suspect(Duration interval) {
    return suspectAfter != null ? suspectAfter : DetectorConfig.forInterval(interval).hardTimeout();
  }

  Duration dead(Duration interval) {
    return deadAfter != null ? deadAfter
        : suspect(interval).plus(DetectorConfig.forInterval(interval).suspicionGrace());
  }

  Duration stall(Duration interval) {
    return stallAfter != null ? stallAfter : DetectorConfig.forInterval(interval).stallAfter();
  }

  /**
   * The configuration of a running detector for agents beating every {@code interval}.
   *
   * @throws CliFailure (usage) when a threshold does not fit the interval
   */
  DetectorConfig detector(Duration interval) {
    Duration suspect = suspect(interval);
    if (suspect.compareTo(interval) <= 0) {
      throw new CliFailure(ExitCodes.USAGE, "--suspect-after must be longer than the beat "
          + "interval (" + Durations.format(interval) + "), got " + Durations.format(suspect));
    }
    return DetectorConfig.forInterval(interval).withHardTimeout(suspect)
        .withSuspicionGrace(dead(interval).minus(suspect)).withStallAfter(stall(interval));
  }
}
