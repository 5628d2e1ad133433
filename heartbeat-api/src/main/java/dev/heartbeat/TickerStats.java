package dev.heartbeat;

import java.time.Duration;

/**
 * How the background machinery of one {@link Heartbeats} is doing: how punctual its ticker is
 * (lateness is how long after its planned instant a wake-up actually ran: GC pauses, a suspended
 * process, an overloaded machine), what its bounded queues dropped, and how many store calls are
 * on their way.
 *
 * @param ticks wake-ups since start
 * @param lastLateness lateness of the latest wake-up
 * @param maxLateness the largest lateness since start
 * @param errors exceptions the loop caught and survived
 * @param dropped notices dropped because their bounded queue was full since start: beats of a
 *     live feed waiting for the ticker (the detector's polling still reads them) and changes
 *     waiting for a slow {@link StallDetector} listener. The answer of a store call is never
 *     dropped.
 * @param storeCallsRunning store calls started and not returned yet, including those given up on
 *     at their deadline that still run: while the store hangs, at most one per kind (an agent's
 *     beat, an election, the detector's read)
 * @param storeCallsRefused calls not sent since start because a call of their kind that was given
 *     up on still ran; each counted as a failed attempt of its agent or election
 */
public record TickerStats(long ticks, Duration lastLateness, Duration maxLateness, long errors,
    long dropped, long storeCallsRunning, long storeCallsRefused) {
  /** Before the first tick. */
  public static final TickerStats NONE = new TickerStats(0, Duration.ZERO, Duration.ZERO, 0, 0,
      0, 0);
}
