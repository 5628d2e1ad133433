package dev.heartbeat;

/**
 * What an agent says about itself in each beat: its own claim, carried by
 * {@link Heartbeat#status()}. Whether the agent is in fact alive, stalled, suspect or dead is
 * the {@link StallDetector}'s verdict, an {@link AgentState}; see there why both have
 * {@code LEFT}: a beat with status {@link #LEFT} always yields the state
 * {@link AgentState#LEFT}.
 */
public enum AgentStatus {
  /** Alive, no task. */
  IDLE,
  /** Alive and working on a task; the stall detector expects progress. */
  WORKING,
  /**
   * Left on purpose ({@link HeartbeatAgent#close()}): a graceful leave, never mistaken for a
   * death; final for its incarnation (a store ignores later beats of that incarnation), and
   * judged {@link AgentState#LEFT}.
   */
  LEFT
}
