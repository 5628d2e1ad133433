package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One row of the {@link AgentRegistry}: an agent's latest beat as stored, with the detector's
 * verdict. Same style as {@link Heartbeat}: no component is {@code null}, an absent value is an
 * empty {@link Optional} or {@link OptionalDouble}.
 *
 * @param agentId the agent
 * @param incarnation its current run
 * @param sequence the sequence number of its latest stored beat
 * @param state the stall detector's state for it; when no detector runs: {@code LEFT} after a
 *     graceful leave, {@code SUSPECT} when the last beat is older than the default hard timeout,
 *     else {@code ALIVE} (never {@code DEAD}, which needs the detector's grace period)
 * @param status what the agent says it is doing
 * @param taskId its task; empty when none
 * @param progress its progress text; empty when none
 * @param progressAt when progress or task last changed (store clock); empty if never
 * @param cpu process CPU utilisation in [0, 1]; empty when unknown
 * @param lastBeatAge age of the latest beat by the store's clock (both instants from the store)
 * @param nextBeatDue when the next beat is expected: the last beat plus the interval that beat
 *     carried ({@link Heartbeat#interval()}), or plus the detector's
 *     {@link DetectorConfig#expectedInterval()} when it carried none (a one-shot beat, a record of
 *     an earlier version); on the local wall clock; in the past when overdue
 * @param at when the store recorded the latest beat (store clock)
 */
public record AgentView(String agentId, String incarnation, long sequence, AgentState state,
    AgentStatus status, Optional<String> taskId, Optional<String> progress,
    Optional<Instant> progressAt, OptionalDouble cpu, Duration lastBeatAge, Instant nextBeatDue,
    Instant at) {
  /** Checks the components; see the class comment for what each must be. */
  public AgentView {
    Checks.id("agentId", agentId);
    Checks.notNull("state", state);
    Checks.notNull("status", status);
    Checks.notNull("taskId", taskId);
    Checks.notNull("progress", progress);
    Checks.notNull("progressAt", progressAt);
    Checks.cpu("cpu", cpu);
    Checks.notNull("lastBeatAge", lastBeatAge);
    Checks.notNull("nextBeatDue", nextBeatDue);
    Checks.notNull("at", at);
  }
}
