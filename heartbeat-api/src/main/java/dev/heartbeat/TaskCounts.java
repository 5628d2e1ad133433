package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many tasks of a queue are in each state.
 *
 * @param byState the count per state; every state is present (0 when none)
 */
public record TaskCounts(Map<TaskState, Long> byState) {
  /** Checks the components and fills in absent states with 0. */
  public TaskCounts {
    Checks.notNull("byState", byState);
    EnumMap<TaskState, Long> all = new EnumMap<>(TaskState.class);
    for (TaskState s : TaskState.values()) {
      long n = byState.getOrDefault(s, 0L);
      Checks.atLeast("count of " + s, n, 0);
      all.put(s, n);
    }
    byState = Map.copyOf(all);
  }

  /**
   * How many tasks are in {@code state}.
   *
   * @param state the state
   * @return how many tasks are in {@code state}
   */
  public long of(TaskState state) {
    return byState.get(Checks.notNull("state", state));
  }

  /**
   * How many tasks the queue holds in all.
   *
   * @return the sum over every state
   */
  public long total() {
    return byState.values().stream().mapToLong(Long::longValue).sum();
  }
}
