package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One stored heartbeat: the latest state of an agent, or one entry of its history.
 *
 * @param agentId the agent
 * @param incarnation the id of the agent's current run; a restarted agent has a new one
 * @param sequence increases with every beat of one incarnation
 * @param taskId the task being worked on, or {@code null}
 * @param status what the agent says it is doing
 * @param cpu process CPU utilisation in [0, 1], or {@code -1} when unknown
 * @param progress the latest progress text, or {@code null}
 * @param progressAt when progress or task last changed (store clock), or {@code null} if never
 * @param at when the store recorded this beat (store clock)
 * @param interval the agent's time between beats as its beat carried it; empty for a one-shot
 *     beat and for a record written before beats carried it
 */
public record Heartbeat(String agentId, String incarnation, long sequence, String taskId,
    AgentStatus status, double cpu, String progress, Instant progressAt, Instant at,
    Optional<Duration> interval) {
  /** Checks the components; see the class comment for what each must be. */
  public Heartbeat {
    Checks.id("agentId", agentId);
    Checks.id("incarnation", incarnation);
    Checks.notNull("status", status);
    Checks.notNull("at", at);
    Checks.notNull("interval", interval);
  }

  /**
   * The task, if any.
   *
   * @return the task, if any
   */
  public Optional<String> task() {
    return Optional.ofNullable(taskId);
  }

  /**
   * The progress text, if any.
   *
   * @return the progress text, if any
   */
  public Optional<String> progressText() {
    return Optional.ofNullable(progress);
  }
}
