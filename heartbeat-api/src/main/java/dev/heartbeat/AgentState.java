package dev.heartbeat;

/**
 * What the {@link StallDetector} concludes about an agent. The usual path is
 * {@code ALIVE -> SUSPECT -> DEAD}; a beat from a suspect or dead agent brings it back to
 * {@code ALIVE} (reported as {@link AgentChange.Kind#RECOVERED}).
 */
public enum AgentState {
  /** Beats arrive as expected. */
  ALIVE,
  /** Beats are overdue (phi reached the threshold, or the hard timeout passed); not yet dead. */
  SUSPECT,
  /** Suspect for the whole suspicion grace without a beat: its work can be recovered. */
  DEAD,
  /** Beats keep coming, it says it is working, but its task and progress have not changed. */
  STALLED,
  /** It left on purpose ({@link HeartbeatAgent#close()}); never reported as dead afterwards. */
  LEFT
}
