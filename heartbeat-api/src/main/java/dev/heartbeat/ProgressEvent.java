package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * A change of an agent's progress or task, recorded atomically with the beat that carried it.
 * Like {@link Heartbeat}, nothing in it is null: what may be absent is an {@link Optional}.
 *
 * @param agentId the agent
 * @param incarnation the agent's run
 * @param sequence the sequence number of the beat that carried it
 * @param taskId the task, if the beat named one
 * @param progress the progress text, if the beat carried one
 * @param at store time
 */
public record ProgressEvent(String agentId, String incarnation, long sequence,
    Optional<String> taskId, Optional<String> progress, Instant at) {
  /** Checks the components; see the class comment for what each must be. */
  public ProgressEvent {
    Checks.id("agentId", agentId);
    Checks.id("incarnation", incarnation);
    Checks.notNull("taskId", taskId);
    Checks.notNull("progress", progress);
    Checks.notNull("at", at);
  }
}
