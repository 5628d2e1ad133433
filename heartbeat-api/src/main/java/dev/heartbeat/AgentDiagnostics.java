package dev.heartbeat;

import java.time.Instant;

/**
 * An immutable snapshot of one agent's heartbeating.
 *
 * @param agentId the agent
 * @param incarnation this run of it
 * @param beats outcomes of its beats since start
 * @param lastSequence the sequence number of the last beat the store confirmed, or -1
 * @param lastWriteVerified whether the store returned the record written by the last beat (same
 *     agent and incarnation, and its sequence or a newer one of this run that overtook it)
 * @param nextBeatDue when the next beat is due (local wall clock), or {@code null} when closed
 * @param ticker the punctuality of the ticker that drives it
 * @param closed whether the agent was closed
 * @param takenAt when this snapshot was taken (local wall clock)
 */
public record AgentDiagnostics(String agentId, String incarnation, CallStats beats,
    long lastSequence, boolean lastWriteVerified, Instant nextBeatDue, TickerStats ticker,
    boolean closed, Instant takenAt) {

  /**
   * Shorthand for {@code beats().successRate()}.
   *
   * @return {@code beats().successRate()}
   */
  public double successRate() {
    return beats.successRate();
  }
}
