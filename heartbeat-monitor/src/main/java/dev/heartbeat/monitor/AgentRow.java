package dev.heartbeat.monitor;

import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * One agent as {@code status} shows it: the stored record, its state, and what its history
 * tells (share of beats that reached the store, and the interval when its beat carries none).
 *
 * @param record the latest stored record
 * @param state its state by the rule in force
 * @param lastBeatAge store time since the last beat
 * @param progressAge store time since progress last changed, or {@code null} if never
 * @param interval the agent's beat interval: the one its latest beat carries, else the one
 *     observed from its history, or {@code null} when neither tells
 * @param nextBeatIn when the next beat is due from now, one interval after the last beat
 *     (negative: overdue), or {@code null}
 * @param successRate beats stored over beats sent, from sequence gaps in the history of the
 *     current incarnation, or {@code null} when the history is too short
 */
public record AgentRow(Heartbeat record, AgentState state, Duration lastBeatAge, Duration progressAge,
    Duration interval, Duration nextBeatIn, Double successRate) {

  /** How many history entries are read per agent. */
  public static final int HISTORY = 16;

  /**
   * Judges one agent.
   *
   * @param latest its latest stored record
   * @param history its recent records (any order)
   * @param now the store's clock
   * @param rule the rule that judges it
   * @return the row
   */
  public static AgentRow of(Heartbeat latest, List<Heartbeat> history, Instant now, LivenessRule rule) {
    List<Heartbeat> run = history.stream()
        .filter(h -> h.incarnation().equals(latest.incarnation()))
        .sorted(Comparator.comparingLong(Heartbeat::sequence)).toList();
    Duration interval = null;
    Double rate = null;
    if (run.size() >= 2) {
      Heartbeat first = run.get(0);
      Heartbeat last = run.get(run.size() - 1);
      long sent = last.sequence() - first.sequence();
      if (sent > 0) {
        interval = Duration.between(first.at(), last.at()).dividedBy(sent);
        rate = Math.min(1.0, (run.size() - 1) / (double) sent);
      }
    }
    if (interval != null && interval.isZero()) {
      interval = null;
    }
    interval = latest.interval().orElse(interval);
    Duration age = Duration.between(latest.at(), now);
    Duration progressAge = latest.progressAt().map(at -> Duration.between(at, now))
        .orElse(null);
    Duration next = interval == null || latest.status() == AgentStatus.LEFT ? null
        : interval.minus(age);
    return new AgentRow(latest, rule.classify(latest, interval, now), age, progressAge,
        interval, next, rate);
  }

  /**
   * The agent's id.
   *
   * @return the id
   */
  public String id() {
    return record.agentId();
  }
}
