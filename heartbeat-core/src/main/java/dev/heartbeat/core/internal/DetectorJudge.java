package dev.heartbeat.core.internal;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.Heartbeat;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The stall detector's judgement without a store or a thread, as the engine's detector runs it,
 * so that a simulator or a benchmark can drive it: feed it beats with their arrival times, ask it
 * to judge at an instant. All times are nanoseconds of one monotonic clock. Not thread-safe,
 * except {@link #states()}.
 */
public interface DetectorJudge {
  /**
   * Takes in a beat read from the store or a feed.
   *
   * @param beat the beat
   * @param arrival when it was seen (monotonic nanos)
   * @param storeNow the store's clock at the read, or {@code null} (a feed)
   * @return the changes of state it causes
   */
  List<AgentChange> observe(Heartbeat beat, long arrival, Instant storeNow);

  /**
   * Judges every agent at {@code now}.
   *
   * @param now the instant of the judgement (monotonic nanos)
   * @return the changes of state since the last judgement
   */
  List<AgentChange> evaluate(long now);

  /**
   * Does not count {@code nanos} before {@code now} against anyone, as the engine's detector does
   * after a round of its own that ran late (a local pause) or while it could not read the store.
   *
   * @param nanos the time not watched
   * @param now the instant of the round (monotonic nanos)
   */
  void shift(long nanos, long now);

  /** Makes the states changed since the last call visible to {@link #states()}. */
  void publish();

  /**
   * The states as of the last {@link #publish()}; safe from any thread.
   *
   * @return agent id to state
   */
  Map<String, AgentState> states();
}
