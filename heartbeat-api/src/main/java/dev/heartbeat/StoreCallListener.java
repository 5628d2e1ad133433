package dev.heartbeat;

import java.time.Duration;

/**
 * Told of every store call of a {@link Heartbeats} once it returned, with its latency: the
 * figure that {@link LeaseConfig#renewDeadline()}, the call timeout and the beat interval must
 * leave room for. Registered with {@link Heartbeats#onStoreCall}.
 *
 * <p>The listener runs on the call's own thread, after the store answered and before the caller
 * hears the answer, so it must be quick and must not block (record into a histogram, bump a
 * counter). An exception it throws is logged and ignored. A call that never returns is never
 * told (it shows in {@link TickerStats#storeCallsRunning()}); a call refused because one of its
 * kind still hung is not sent, so not told either (it shows in
 * {@link TickerStats#storeCallsRefused()}).
 */
@FunctionalInterface
public interface StoreCallListener {
  /** How a store call ended. */
  enum Result {
    /** The store answered. */
    SUCCEEDED,
    /** The store threw, and its caller was still waiting. */
    FAILED,
    /**
     * Its caller gave up waiting before it returned (the call timeout, a beat's interval, a
     * lease's renew deadline), whatever the store answered at last.
     */
    TIMED_OUT
  }

  /**
   * One store call returned.
   *
   * @param operation what the call was, in lowercase snake case without any id in it, one of a
   *     small fixed set: {@code beat}, {@code register}, {@code record_all} (a batch of beats),
   *     {@code leave}, {@code agents}, {@code forget}, {@code try_acquire}, {@code renew},
   *     {@code renew_all} (a batch of lease renewals), {@code release}, {@code lease},
   *     {@code watch}, {@code submit}, {@code read_task}, {@code list_tasks},
   *     {@code count_tasks}, {@code retry_task}, {@code cancel_task}, {@code claim_tasks},
   *     {@code renew_claims}, {@code task_progress}, {@code end_task}
   * @param result how it ended
   * @param latency from when it was started to when it returned, on the engine's
   *     {@link TimeSource}
   */
  void completed(String operation, Result result, Duration latency);

  /** A listener registration. */
  interface Subscription extends AutoCloseable {
    /** Removes the listener; idempotent. */
    @Override
    void close();
  }
}
