package dev.heartbeat;

/**
 * What the {@link StallDetector} concludes about an agent: its verdict, judged from when beats
 * arrive and what they carry. The usual path is {@code ALIVE -> SUSPECT -> DEAD}; a beat from a
 * suspect or dead agent brings it back to {@code ALIVE} (reported as
 * {@link AgentChange.Kind#RECOVERED}).
 *
 * <p>Compare {@link AgentStatus}, what the agent says about itself in each beat. The two share
 * one name on purpose, {@code LEFT}, for one fact seen from both sides: a beat whose status is
 * {@link AgentStatus#LEFT} (sent by {@link HeartbeatAgent#close()}) always yields the state
 * {@link #LEFT}, from every state and on first sight, in the detector and in the registry's
 * judgement without one, and it stays {@code LEFT} until a new incarnation beats. They are kept
 * as two types, not merged, because the other values differ in kind: an agent that says
 * {@code WORKING} may be judged {@code ALIVE}, {@code STALLED}, {@code SUSPECT} or {@code DEAD};
 * only the detector can tell those apart, never the agent.
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
  /**
   * Its latest beat said {@link AgentStatus#LEFT}: it left on purpose
   * ({@link HeartbeatAgent#close()}); never suspected or reported as dead afterwards, until a new
   * incarnation of the id beats.
   */
  LEFT
}
