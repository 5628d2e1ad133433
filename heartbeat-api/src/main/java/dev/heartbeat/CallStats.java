package dev.heartbeat;

import java.time.Duration;
import java.time.Instant;

/**
 * Outcomes of the store calls of one agent or one lease since it started, and the latency of the
 * calls that succeeded: what {@link LeaseConfig#renewDeadline()} and the beat interval must leave
 * room for. Latency is measured on the engine's {@link TimeSource}, from when the call was started
 * to when the store answered; a failed call (an error, or no answer in time) leaves it as it was.
 *
 * @param succeeded calls that succeeded
 * @param failed calls that failed (store error or timeout)
 * @param consecutiveFailures failures since the last success
 * @param lastSuccess when the last success completed (local wall clock), or {@code null}
 * @param lastError the message of the last failure, or {@code null}
 * @param lastCause the cause of the last failure, or {@code null}
 * @param lastLatency latency of the latest measured success; {@link Duration#ZERO} until one
 * @param maxLatency the largest latency measured since start; {@link Duration#ZERO} until one
 * @param meanLatency moving average of the measured latencies, each new one weighing
 *     1/{@value #LATENCY_WEIGHT} (as TCP smooths round trips), the first success's latency
 *     taken as it is; {@link Duration#ZERO} until one
 */
public record CallStats(long succeeded, long failed, long consecutiveFailures,
    Instant lastSuccess, String lastError, Throwable lastCause, Duration lastLatency,
    Duration maxLatency, Duration meanLatency) {
  /** No calls yet. */
  public static final CallStats NONE = new CallStats(0, 0, 0, null, null, null, Duration.ZERO,
      Duration.ZERO, Duration.ZERO);
  /** The newest latency weighs 1/this in {@link #meanLatency()}. */
  public static final int LATENCY_WEIGHT = 8;

  /**
   * Succeeded over all calls, in [0, 1]; 1 when there were no calls yet.
   *
   * @return the share of calls that succeeded, in [0, 1]; 1 when there were no calls yet
   */
  public double successRate() {
    long total = succeeded + failed;
    return total == 0 ? 1.0 : (double) succeeded / total;
  }

  /**
   * Whether the last call failed.
   *
   * @return whether the last call failed
   */
  public boolean failing() {
    return consecutiveFailures > 0;
  }

  /**
   * This plus one success at {@code at} whose latency was not measured.
   *
   * @param at when it happened
   * @return this plus one success at {@code at} whose latency was not measured
   */
  public CallStats success(Instant at) {
    return new CallStats(succeeded + 1, failed, 0, at, lastError, lastCause, lastLatency,
        maxLatency, meanLatency);
  }

  /**
   * This plus one success at {@code at} that took {@code latency}.
   *
   * @param at when it happened
   * @param latency how long it took
   * @return this plus one success at {@code at} that took {@code latency}
   */
  public CallStats success(Instant at, Duration latency) {
    Duration measured = latency.isNegative() ? Duration.ZERO : latency;
    Duration mean = succeeded == 0 ? measured
        : meanLatency.plus(measured.minus(meanLatency).dividedBy(LATENCY_WEIGHT));
    Duration max = measured.compareTo(maxLatency) > 0 ? measured : maxLatency;
    return new CallStats(succeeded + 1, failed, 0, at, lastError, lastCause, measured, max, mean);
  }

  /**
   * This plus one failure.
   *
   * @param cause the failure
   * @return this plus one failure
   */
  public CallStats failure(Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    return new CallStats(succeeded, failed + 1, consecutiveFailures + 1, lastSuccess, message,
        cause, lastLatency, maxLatency, meanLatency);
  }
}
