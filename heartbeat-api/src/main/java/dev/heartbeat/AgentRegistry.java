package dev.heartbeat;

import java.util.List;
import java.util.Optional;

/**
 * The agents of the store, read through the store SPI, with the stall detector's verdict.
 *
 * <p>Reads are served from a shared snapshot at most {@link #SNAPSHOT_MAX_AGE_MILLIS} ms old (on
 * the engine's monotonic clock): many callers at once cause one store read, not one each.
 * Thread-safe. Store failures throw {@link HeartbeatStoreException}; calls are bounded by
 * {@link HeartbeatsConfig#callTimeout()}.
 */
public interface AgentRegistry {
  /** The longest a snapshot is reused, in milliseconds. */
  long SNAPSHOT_MAX_AGE_MILLIS = 1000;

  /**
   * Every agent the store knows, ordered by id.
   *
   * @return every agent the store knows, ordered by id
   * @throws HeartbeatStoreException when the store fails or does not answer within the call
   *     timeout
   */
  List<AgentView> agents();

  /**
   * One agent, or empty when the store does not know it (or its record is unreadable).
   *
   * @param agentId the agent's id
   * @return one agent, or empty when the store does not know it (or its record is unreadable)
   * @throws HeartbeatStoreException when the store fails or does not answer within the call
   *     timeout
   */
  Optional<AgentView> agent(String agentId);
}
