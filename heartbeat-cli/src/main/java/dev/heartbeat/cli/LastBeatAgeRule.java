package dev.heartbeat.cli;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import java.time.Duration;
import java.time.Instant;

/**
 * The interim rule of the command, used until the library's stall detector can judge a store it
 * only reads: fixed thresholds on the age of the last beat and of the last progress, both on the
 * store's clock.
 *
 * <ul>
 *   <li>{@code LEFT} when the agent left on purpose;</li>
 *   <li>{@code DEAD} when the last beat is older than {@code deadAfter};</li>
 *   <li>{@code SUSPECT} when it is older than {@code suspectAfter};</li>
 *   <li>{@code STALLED} when the agent is working and its progress is older than
 *       {@code stallAfter};</li>
 *   <li>{@code ALIVE} otherwise.</li>
 * </ul>
 *
 * <p>A threshold that is {@code null} is a multiple of the agent's observed interval (or of
 * {@code assumedInterval} when the history is too short): {@value #SUSPECT_INTERVALS},
 * {@value #DEAD_INTERVALS} and {@value #STALL_INTERVALS} intervals.
 */
record LastBeatAgeRule(Duration suspectAfter, Duration deadAfter, Duration stallAfter,
    Duration assumedInterval) implements LivenessRule {
  static final int SUSPECT_INTERVALS = 3;
  static final int DEAD_INTERVALS = 10;
  static final int STALL_INTERVALS = 12;
  /** The agents' default interval, assumed when the history cannot tell. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  LastBeatAgeRule {
    if (assumedInterval == null || assumedInterval.isNegative() || assumedInterval.isZero()) {
      throw new IllegalArgumentException("assumedInterval must be positive, got "
          + assumedInterval);
    }
    if (suspectAfter != null && deadAfter != null && deadAfter.compareTo(suspectAfter) <= 0) {
      throw new CliFailure(ExitCodes.USAGE, "--dead-after must be longer than --suspect-after ("
          + Durations.format(suspectAfter) + "), got " + Durations.format(deadAfter));
    }
  }

  /** Thresholds as multiples of each agent's observed interval. */
  static LastBeatAgeRule relative() {
    return new LastBeatAgeRule(null, null, null, DEFAULT_INTERVAL);
  }

  @Override
  public String name() {
    return "last-beat-age (interim): suspect after " + describe(suspectAfter, SUSPECT_INTERVALS)
        + ", dead after " + describe(deadAfter, DEAD_INTERVALS) + ", stalled after "
        + describe(stallAfter, STALL_INTERVALS) + " without progress";
  }

  @Override
  public Liveness classify(Heartbeat latest, Duration interval, Instant storeNow) {
    if (latest.status() == AgentStatus.LEFT) {
      return Liveness.LEFT;
    }
    Duration every = interval != null ? interval : assumedInterval;
    Duration age = Duration.between(latest.at(), storeNow);
    if (age.compareTo(or(deadAfter, every, DEAD_INTERVALS)) > 0) {
      return Liveness.DEAD;
    }
    if (age.compareTo(or(suspectAfter, every, SUSPECT_INTERVALS)) > 0) {
      return Liveness.SUSPECT;
    }
    if (latest.status() == AgentStatus.WORKING && latest.progressAt() != null
        && Duration.between(latest.progressAt(), storeNow)
            .compareTo(or(stallAfter, every, STALL_INTERVALS)) > 0) {
      return Liveness.STALLED;
    }
    return Liveness.ALIVE;
  }

  private static Duration or(Duration fixed, Duration interval, int times) {
    return fixed != null ? fixed : interval.multipliedBy(times);
  }

  private static String describe(Duration fixed, int times) {
    return fixed != null ? Durations.format(fixed) : times + " intervals";
  }
}
