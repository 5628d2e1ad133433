package dev.heartbeat.spi;

import dev.heartbeat.AgentStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One heartbeat as the engine sends it to a store; the store adds its own timestamp and returns
 * a {@link dev.heartbeat.Heartbeat}. Same style as {@link dev.heartbeat.Heartbeat}: no component
 * is {@code null}, an absent value is an empty {@link Optional} or {@link OptionalDouble}. The
 * constructor throws {@link IllegalArgumentException} naming the component: an invalid id or
 * task id, a negative sequence, a {@code null}, {@code cpu} outside [0, 1], a progress text too
 * long or with control characters, an interval not positive.
 *
 * @param agentId the agent
 * @param incarnation the id of this run of the agent; a restarted agent has a new one
 * @param sequence per-incarnation sequence number, increasing with every beat sent
 * @param taskId the task the agent works on; empty when none
 * @param status what the agent says it is doing
 * @param cpu the process CPU utilisation in [0, 1]; empty when unknown
 * @param progress the current progress text; empty when none
 * @param newProgress {@code true} when the progress or task changed since the previous beat: the
 *     store then records a progress event and stamps the agent's {@code progressAt} in the same
 *     atomic step
 * @param interval the agent's time between beats, stored with the beat so that readers know when
 *     the next one is due; empty for a one-shot beat that no schedule follows (the CLI's)
 */
public record Beat(String agentId, String incarnation, long sequence, Optional<String> taskId,
    AgentStatus status, OptionalDouble cpu, Optional<String> progress, boolean newProgress,
    Optional<Duration> interval) {
  /** Checks the components; see the class comment for what each must be. */
  public Beat {
    Checks.id("agentId", agentId);
    Checks.id("incarnation", incarnation);
    Checks.atLeast("sequence", sequence, 0);
    Checks.notNull("taskId", taskId).ifPresent(t -> Checks.id("taskId", t));
    Checks.notNull("status", status);
    Checks.cpu("cpu", cpu);
    Checks.notNull("progress", progress).ifPresent(p -> Checks.text("progress", p));
    Checks.notNull("interval", interval).ifPresent(i -> Checks.positive("interval", i));
  }
}
