package dev.heartbeat.tck;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.spi.Beat;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/** Beats for tests. */
public final class Beats {
  /** The interval every beat of this class carries. */
  public static final Duration INTERVAL = Duration.ofMillis(500);

  private Beats() {}

  /**
   * A beat of {@code agent} (incarnation "inc-1") with sequence {@code seq}, no progress.
   *
   * @param agent the agent's id
   * @param seq the sequence number
   * @return a beat of {@code agent} (incarnation "inc-1") with sequence {@code seq}, no progress
   */
  public static Beat plain(String agent, long seq) {
    return new Beat(agent, "inc-1", seq, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.of(0.25), Optional.empty(), false, Optional.of(INTERVAL));
  }

  /**
   * A beat working on {@code task} that reports new progress {@code progress}.
   *
   * @param agent the agent's id
   * @param progress the progress text
   * @param seq the sequence number
   * @param task the task
   * @return a beat working on {@code task} that reports new progress {@code progress}
   */
  public static Beat progress(String agent, long seq, String task, String progress) {
    return new Beat(agent, "inc-1", seq, Optional.of(task), AgentStatus.WORKING,
        OptionalDouble.of(0.5), Optional.of(progress), true, Optional.of(INTERVAL));
  }

  /**
   * A beat working on {@code task} with unchanged progress {@code progress}.
   *
   * @param agent the agent's id
   * @param progress the progress text
   * @param seq the sequence number
   * @param task the task
   * @return a beat working on {@code task} with unchanged progress {@code progress}
   */
  public static Beat same(String agent, long seq, String task, String progress) {
    return new Beat(agent, "inc-1", seq, Optional.of(task), AgentStatus.WORKING,
        OptionalDouble.of(0.5), Optional.of(progress), false, Optional.of(INTERVAL));
  }
}
