package dev.heartbeat.monitor;

import dev.heartbeat.AgentState;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.StoreProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one store holds at one instant of its clock: every agent and lease, judged.
 *
 * @param store the store, as printed (credentials masked)
 * @param storeTime the store's clock when the snapshot was read
 * @param rule the rule that judged the agents
 * @param agents the agents, by id
 * @param leases the leases, by name
 * @param problems records the store could not read
 */
public record Snapshot(String store, Instant storeTime, String rule, List<AgentRow> agents,
    List<LeaseView> leases, List<StoreProblem> problems) {

  /**
   * Reads everything: one call for the clock, agents and leases, one history call per agent.
   *
   * @param store the store
   * @param shown the store as printed (credentials masked)
   * @param rule the rule that judges the agents
   * @return the snapshot
   * @throws dev.heartbeat.HeartbeatStoreException when the store fails
   */
  public static Snapshot read(HeartbeatStore store, String shown, LivenessRule rule) {
    Instant now = store.now();
    List<AgentRow> agents = new ArrayList<>();
    for (Heartbeat h : store.agents()) {
      agents.add(AgentRow.of(h, store.history(h.agentId(), AgentRow.HISTORY), now, rule));
    }
    List<LeaseView> leases = new ArrayList<>();
    for (Lease l : store.leases()) {
      leases.add(LeaseView.of(l, now));
    }
    return new Snapshot(shown, now, rule.name(), List.copyOf(agents), List.copyOf(leases),
        store.problems());
  }

  /**
   * Whether every agent is alive (or left on purpose), every lease held, and every record
   * readable (an unreadable agent cannot be known to be alive).
   *
   * @return whether healthy
   */
  public boolean healthy() {
    return agents.stream().allMatch(a -> healthy(a.state()))
        && leases.stream().allMatch(LeaseView::held) && problems.isEmpty();
  }

  /**
   * Whether an agent in this state counts as healthy: alive, or left on purpose.
   *
   * @param state the state
   * @return whether healthy
   */
  public static boolean healthy(AgentState state) {
    return state == AgentState.ALIVE || state == AgentState.LEFT;
  }

  /**
   * Whether the store holds nothing at all: no agent, no lease, no unreadable record.
   *
   * @return whether empty
   */
  public boolean empty() {
    return agents.isEmpty() && leases.isEmpty() && problems.isEmpty();
  }

  /**
   * The status's exit code: {@link StatusJson#MISSING} when the store holds nothing (a typo in a
   * path or database name must not look healthy), {@link StatusJson#OK} when healthy, else
   * {@link StatusJson#DEGRADED}.
   *
   * @return the exit code
   */
  public int exitCode() {
    return empty() ? StatusJson.MISSING : healthy() ? StatusJson.OK : StatusJson.DEGRADED;
  }

  /**
   * One line: healthy, or what is degraded.
   *
   * @return the line
   */
  public String verdict() {
    List<String> bad = new ArrayList<>();
    agents.stream().filter(a -> !healthy(a.state()))
        .forEach(a -> bad.add(a.id() + " " + a.state()));
    leases.stream().filter(l -> !l.held()).forEach(l -> bad.add("lease " + l.name() + " expired"));
    if (!problems.isEmpty()) {
      bad.add(problems.size() + " unreadable record(s)");
    }
    if (empty()) {
      return "empty: the store holds no agent and no lease";
    }
    if (bad.isEmpty()) {
      return "healthy: " + agents.size() + " agent(s), " + leases.size() + " lease(s) held";
    }
    return "degraded: " + String.join(", ", bad);
  }
}
