package dev.heartbeat.monitor;

import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import java.time.Duration;
import java.time.Instant;

/**
 * How a one-shot reader ({@code status}) judges agents: a stall detector needs to watch beats
 * arrive over time, which one read cannot, so this applies the detector's bounds to the stored
 * record, on the store's clock. {@code LEFT} after a graceful leave; {@code DEAD} when the last
 * beat is older than hard timeout plus suspicion grace; {@code SUSPECT} when older than the hard
 * timeout; {@code STALLED} when working without progress for {@code stallAfter}; else
 * {@code ALIVE}. Thresholds not given are those of
 * {@link dev.heartbeat.DetectorConfig#forInterval} for the agent's interval (the one its beat
 * carries, else the one observed from its history, else {@code assumedInterval}).
 *
 * @param thresholds the thresholds given
 * @param assumedInterval the interval of an agent whose interval nothing tells
 */
public record BoundsRule(Thresholds thresholds, Duration assumedInterval) implements LivenessRule {
  /** The agents' default interval, assumed when the history cannot tell. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  @Override
  public String name() {
    return "the stall detector's bounds, from one read: suspect after "
        + describe(thresholds.suspectAfter(), "3 intervals") + ", dead after "
        + describe(thresholds.deadAfter(), "5.4 intervals") + ", stalled after "
        + describe(thresholds.stallAfter(), "2m00s") + " without progress";
  }

  @Override
  public AgentState classify(Heartbeat latest, Duration interval, Instant storeNow) {
    if (latest.status() == AgentStatus.LEFT) {
      return AgentState.LEFT;
    }
    Duration every = interval != null ? interval : assumedInterval;
    Duration age = Duration.between(latest.at(), storeNow);
    if (age.compareTo(thresholds.dead(every)) > 0) {
      return AgentState.DEAD;
    }
    if (age.compareTo(thresholds.suspect(every)) > 0) {
      return AgentState.SUSPECT;
    }
    if (latest.status() == AgentStatus.WORKING && latest.progressAt()
        .filter(at -> Duration.between(at, storeNow).compareTo(thresholds.stall(every)) > 0)
        .isPresent()) {
      return AgentState.STALLED;
    }
    return AgentState.ALIVE;
  }

  private static String describe(Duration given, String otherwise) {
    return given != null ? Durations.format(given) : otherwise;
  }
}
