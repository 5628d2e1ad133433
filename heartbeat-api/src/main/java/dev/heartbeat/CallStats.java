package dev.heartbeat;

import java.time.Instant;

/**
 * Outcomes of the store calls of one agent or one lease since it started.
 *
 * @param succeeded calls that succeeded
 * @param failed calls that failed (store error or timeout)
 * @param consecutiveFailures failures since the last success
 * @param lastSuccess when the last success completed (local wall clock), or {@code null}
 * @param lastError the message of the last failure, or {@code null}
 * @param lastCause the cause of the last failure, or {@code null}
 */
public record CallStats(long succeeded, long failed, long consecutiveFailures,
    Instant lastSuccess, String lastError, Throwable lastCause) {
  /** No calls yet. */
  public static final CallStats NONE = new CallStats(0, 0, 0, null, null, null);

  /** Succeeded over all calls, in [0, 1]; 1 when there were no calls yet. */
  public double successRate() {
    long total = succeeded + failed;
    return total == 0 ? 1.0 : (double) succeeded / total;
  }

  /** Whether the last call failed. */
  public boolean failing() {
    return consecutiveFailures > 0;
  }

  /** This plus one success at {@code at}. */
  public CallStats success(Instant at) {
    return new CallStats(succeeded + 1, failed, 0, at, lastError, lastCause);
  }

  /** This plus one failure. */
  public CallStats failure(Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    return new CallStats(succeeded, failed + 1, consecutiveFailures + 1, lastSuccess, message,
        cause);
  }
}
