package dev.heartbeat;

import java.time.Duration;

/**
 * How punctual the ticker of one {@link Heartbeats} is: lateness is how long after its planned
 * instant a wake-up actually ran (GC pauses, starved carrier threads, a suspended process).
 *
 * @param ticks wake-ups since start
 * @param lastLateness lateness of the latest wake-up
 * @param maxLateness the largest lateness since start
 * @param errors exceptions the loop caught and survived
 */
public record TickerStats(long ticks, Duration lastLateness, Duration maxLateness, long errors) {
  /** Before the first tick. */
  public static final TickerStats NONE = new TickerStats(0, Duration.ZERO, Duration.ZERO, 0);
}
