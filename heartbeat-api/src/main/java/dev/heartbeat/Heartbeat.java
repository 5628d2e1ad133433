package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One stored heartbeat: the latest state of an agent, or one entry of its history.
 *
 * <p>Style (STYLE.md 5 and 6, and the same for {@link AgentView} and
 * {@link dev.heartbeat.spi.Beat}): an immutable record, checked in its constructor, with one
 * accessor per value, its own component. No component is ever {@code null}: a value that may be
 * absent is an {@link Optional} ({@link OptionalDouble} for a number), empty when absent, never
 * a {@code null} and never a sentinel such as {@code -1}. The constructor throws
 * {@link IllegalArgumentException} naming the component when an id is invalid, a component is
 * {@code null} or {@code cpu} is outside [0, 1].
 *
 * @param agentId the agent
 * @param incarnation the id of the agent's current run; a restarted agent has a new one
 * @param sequence increases with every beat of one incarnation
 * @param taskId the task being worked on; empty when none
 * @param status what the agent says it is doing
 * @param cpu process CPU utilisation in [0, 1]; empty when unknown
 * @param progress the latest progress text; empty when none
 * @param progressAt when progress or task last changed (store clock); empty if never
 * @param at when the store recorded this beat (store clock)
 * @param interval the agent's time between beats as its beat carried it; empty for a one-shot
 *     beat and for a record written before beats carried it
 */
public record Heartbeat(String agentId, String incarnation, long sequence,
    Optional<String> taskId, AgentStatus status, OptionalDouble cpu, Optional<String> progress,
    Optional<Instant> progressAt, Instant at, Optional<Duration> interval) {
  /** Checks the components; see the class comment for what each must be. */
  public Heartbeat {
    Checks.id("agentId", agentId);
    Checks.id("incarnation", incarnation);
    Checks.notNull("taskId", taskId);
    Checks.notNull("status", status);
    Checks.cpu("cpu", cpu);
    Checks.notNull("progress", progress);
    Checks.notNull("progressAt", progressAt);
    Checks.notNull("at", at);
    Checks.notNull("interval", interval);
  }
}
