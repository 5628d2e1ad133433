package dev.heartbeat;

import java.time.Duration;

/**
 * An agent that beats in the background on the ticker of its {@link Heartbeats}, independent of
 * the thread that started it: it keeps beating when that thread ends, is interrupted, or its
 * executor shuts down, until {@link #close()}.
 *
 * <p>What the agent reports ({@link #working}, {@link #progress}, {@link #idle}) is carried by the
 * next beat; a change of progress or task also becomes a progress event. Thread-safe.
 */
public interface HeartbeatAgent extends AutoCloseable {

  /**
   * The agent id.
   *
   * @return the agent id
   */
  String id();

  /**
   * The id of this run of the agent; a restarted agent gets a new one.
   *
   * @return the id of this run of the agent; a restarted agent gets a new one
   */
  String incarnation();

  /**
   * Its configuration.
   *
   * @return its configuration
   */
  AgentConfig config();

  /**
   * Reports work on a task.
   *
   * @param taskId the task, not blank, at most 128 characters
   * @param progress progress text or {@code null}, at most 1024 characters
   * @throws IllegalArgumentException naming the bad value
   */
  void working(String taskId, String progress);

  /**
   * Reports new progress on the current task (status stays as it is).
   *
   * @param progress the progress text
   */
  void progress(String progress);

  /** Reports that the agent has no task. */
  void idle();

  /**
   * Beats now on the calling thread (registering the agent first if needed), bounded by the
   * call timeout. The background beats go on as before.
   *
   * @return the record the store stored
   * @throws HeartbeatStoreException when the store fails
   * @throws IllegalStateException when the agent is closed
   */
  Heartbeat beat();

  /**
   * A snapshot of this agent's heartbeating.
   *
   * @return a snapshot of this agent's heartbeating
   */
  AgentDiagnostics diagnostics();

  /**
   * Stops beating and records the agent as {@link AgentStatus#LEFT}, so that its silence is
   * not taken for a death. Bounded by the close timeout; idempotent.
   */
  @Override
  void close();

  /** Configures and starts an agent. Not thread-safe; use once. */
  interface Builder {
    /**
     * Time between beats.
     *
     * @param interval time between beats
     * @return this builder
     */
    Builder interval(Duration interval);

    /**
     * The whole configuration.
     *
     * @param config the whole configuration
     * @return this builder
     */
    Builder config(AgentConfig config);

    /**
     * The task it starts with (status {@link AgentStatus#WORKING}).
     *
     * @param taskId the task it starts with (status {@link AgentStatus#WORKING})
     * @return this builder
     */
    Builder task(String taskId);

    /**
     * Starts beating. The first beat registers the agent with a new incarnation; it happens on
     * the ticker, so a store that is down delays it but does not fail this call.
     *
     * @return the started agent
     * @throws IllegalStateException when an agent with this id is already running in this
     *     {@link Heartbeats}, or it is closed
     */
    HeartbeatAgent start();
  }
}
