package dev.heartbeat.spi;

import dev.heartbeat.AgentStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * One heartbeat as the engine sends it to a store; the store adds its own timestamp and returns
 * a {@link dev.heartbeat.Heartbeat}.
 *
 * @param agentId the agent
 * @param incarnation the id of this run of the agent; a restarted agent has a new one
 * @param sequence per-incarnation sequence number, increasing with every beat sent
 * @param taskId the task the agent works on, or {@code null}
 * @param status what the agent says it is doing
 * @param cpu the process CPU utilisation in [0, 1], or {@code -1} when unknown
 * @param progress the current progress text, or {@code null}
 * @param newProgress {@code true} when the progress or task changed since the previous beat: the
 *     store then records a progress event and stamps the agent's {@code progressAt} in the same
 *     atomic step
 * @param interval the agent's time between beats, stored with the beat so that readers know when
 *     the next one is due; empty for a one-shot beat that no schedule follows (the CLI's)
 */
public record Beat(String agentId, String incarnation, long sequence, String taskId,
    AgentStatus status, double cpu, String progress, boolean newProgress,
    Optional<Duration> interval) {
  /** Checks the components; see the class comment for what each must be. */
  public Beat {
    Checks.id("agentId", agentId);
    Checks.id("incarnation", incarnation);
    Checks.atLeast("sequence", sequence, 0);
    Checks.optionalId("taskId", taskId);
    Checks.notNull("status", status);
    if (!(cpu == -1 || (cpu >= 0 && cpu <= 1))) {
      throw new IllegalArgumentException("cpu must be in [0, 1] or -1, got " + cpu);
    }
    Checks.text("progress", progress);
    Checks.notNull("interval", interval);
    interval.ifPresent(i -> Checks.positive("interval", i));
  }
}
