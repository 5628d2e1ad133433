package dev.heartbeat.spi;

import dev.heartbeat.Heartbeat;
import java.util.List;

/**
 * One answer of {@link HeartbeatStore#agentsChangedSince}: the latest state of every agent whose
 * record changed since the cursor (registered, beat, left), the ids of agents forgotten since,
 * and the cursor to read from next.
 *
 * <p>An answer may hold more than what changed (a store re-reads a safety overlap, or reads
 * everything); it never holds less. When {@link #complete()} it holds every agent, and an agent
 * the reader knows but that is not in it is gone.
 *
 * @param changed the latest state of every agent changed since the cursor (and maybe more);
 *     unreadable records are skipped
 * @param forgotten the ids of agents forgotten since the cursor (and maybe earlier); an id may
 *     also be in {@code changed} when the agent registered again after it was forgotten, and then
 *     the record in {@code changed} is its state
 * @param complete whether {@code changed} is every agent, as {@link HeartbeatStore#agents()}
 * @param next where to read from next
 */
public record AgentChanges(List<Heartbeat> changed, List<String> forgotten, boolean complete,
    ChangeCursor next) {
  /** Copies the lists; see the class comment for what each component must be. */
  public AgentChanges {
    changed = List.copyOf(Checks.notNull("changed", changed));
    forgotten = List.copyOf(Checks.notNull("forgotten", forgotten));
    Checks.notNull("next", next);
  }

  /**
   * A complete answer: every agent, read from the start next time too.
   *
   * @param agents every agent, as {@link HeartbeatStore#agents()}
   * @return a complete answer whose next cursor is {@link ChangeCursor#START}
   */
  public static AgentChanges all(List<Heartbeat> agents) {
    return new AgentChanges(agents, List.of(), true, ChangeCursor.START);
  }
}
