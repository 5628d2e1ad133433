package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Instant;

/**
 * A change of an agent's progress or task, recorded atomically with the beat that carried it.
 *
 * @param agentId the agent
 * @param incarnation the agent's run
 * @param sequence the sequence number of the beat that carried it
 * @param taskId the task, or {@code null}
 * @param progress the progress text, or {@code null}
 * @param at store time
 */
public record ProgressEvent(String agentId, String incarnation, long sequence, String taskId,
    String progress, Instant at) {
  /** Checks the components; see the class comment for what each must be. */
  public ProgressEvent {
    Checks.id("agentId", agentId);
    Checks.notNull("at", at);
  }
}
