package dev.heartbeat;

/** What an agent says about itself in each beat. */
public enum AgentStatus {
  /** Alive, no task. */
  IDLE,
  /** Alive and working on a task; the stall detector expects progress. */
  WORKING,
  /** Left on purpose ({@code close()}): a graceful leave, never mistaken for a death. */
  LEFT
}
