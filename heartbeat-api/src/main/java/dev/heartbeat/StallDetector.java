package dev.heartbeat;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Watches every agent of the store and tells silent agents ({@code SUSPECT}, then {@code DEAD})
 * from stuck ones ({@code STALLED}) and from those that left ({@code LEFT}). It runs on the
 * ticker of its {@link Heartbeats} from the first call of {@link Heartbeats#detector()} until
 * {@link Heartbeats#close()}; see {@link DetectorConfig} for the algorithm and its bounds.
 *
 * <p>Thread-safe. Listeners are called in order on a thread of the detector's own, never on the
 * ticker; an exception thrown by a listener is logged and does not affect the detector or the
 * other listeners. A slow listener never holds up the detector: changes wait for the listeners in
 * a bounded queue (1,000 rounds of the detector); a round that finds it full is not delivered (it
 * is still logged), is counted in {@link TickerStats#dropped()}, and one WARN says so until the
 * listeners catch up.
 *
 * <p>Agents {@code LEFT} or {@code DEAD} and silent for longer than
 * {@link HeartbeatsConfig#forgetAfter()} are forgotten: removed from the store and from
 * {@link #states()}.
 */
public interface StallDetector {

  /**
   * Its configuration.
   *
   * @return its configuration
   */
  DetectorConfig config();

  /**
   * Adds a listener for every change of state from now on.
   *
   * @param listener the listener
   * @return closing it removes the listener
   * @throws IllegalArgumentException when {@code listener} is null
   */
  Subscription onChange(Consumer<AgentChange> listener);

  /**
   * The state of one agent, or empty when the detector has not seen it.
   *
   * @param agentId the agent's id
   * @return the state of one agent, or empty when the detector has not seen it
   */
  Optional<AgentState> state(String agentId);

  /**
   * The state of every agent the detector has seen, by id (an immutable snapshot).
   *
   * @return the state of every agent the detector has seen, by id (an immutable snapshot)
   */
  Map<String, AgentState> states();

  /** A listener registration. */
  interface Subscription extends AutoCloseable {
    /** Removes the listener; idempotent. */
    @Override
    void close();
  }
}
