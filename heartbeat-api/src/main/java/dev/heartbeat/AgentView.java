package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.time.Instant;

/**
 * One row of the {@link AgentRegistry}: an agent's latest beat as stored, with the detector's
 * verdict.
 *
 * @param agentId the agent
 * @param incarnation its current run
 * @param sequence the sequence number of its latest stored beat
 * @param state the stall detector's state for it; when no detector runs: {@code LEFT} after a
 *     graceful leave, {@code SUSPECT} when the last beat is older than the default hard timeout,
 *     else {@code ALIVE} (never {@code DEAD}, which needs the detector's grace period)
 * @param status what the agent says it is doing
 * @param taskId its task, or {@code null}
 * @param progress its progress text, or {@code null}
 * @param progressAt when progress or task last changed (store clock), or {@code null}
 * @param cpu process CPU utilisation in [0, 1], or -1 when unknown
 * @param lastBeatAge age of the latest beat by the store's clock (both instants from the store)
 * @param nextBeatDue when the next beat is expected: the last beat plus the interval that beat
 *     carried ({@link Heartbeat#interval()}), or plus the detector's
 *     {@link DetectorConfig#expectedInterval()} when it carried none (a one-shot beat, a record of
 *     an earlier version); on the local wall clock; in the past when overdue
 * @param at when the store recorded the latest beat (store clock)
 */
public record AgentView(String agentId, String incarnation, long sequence, AgentState state,
    AgentStatus status, String taskId, String progress, Instant progressAt, double cpu,
    Duration lastBeatAge, Instant nextBeatDue, Instant at) {
  /** Checks the components; see the class comment for what each must be. */
  public AgentView {
    Checks.id("agentId", agentId);
    Checks.notNull("state", state);
    Checks.notNull("status", status);
    Checks.notNull("lastBeatAge", lastBeatAge);
    Checks.notNull("nextBeatDue", nextBeatDue);
    Checks.notNull("at", at);
  }
}
