package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;

/**
 * A task to submit: its id (which makes {@link TaskQueue#submit} idempotent), its payload and its
 * policy. Start with {@link #of(String, String)} and change one setting at a time; each change
 * returns a new spec and checks its value:
 * <pre>{@code
 * TaskSpec spec = TaskSpec.of("parse-17", payloadJson)
 *     .attemptTimeout(Duration.ofMinutes(30))
 *     .maxAttempts(3);
 * }</pre>
 *
 * @param id the task's id in its queue: at most {@value Checks#MAX_ID_LENGTH} characters, no
 *     control characters, not blank
 * @param payload what the handler works on, such as JSON: at most {@value #MAX_PAYLOAD_LENGTH}
 *     characters, no NUL character; may be empty
 * @param attemptTimeout how long one attempt may run on its worker's monotonic clock before it is
 *     interrupted and recorded as {@link AttemptOutcome#TIMED_OUT}; default 30 min
 * @param progressTimeout how long an attempt may go without reporting progress
 *     ({@link TaskContext#progress}) before it is interrupted and recorded as
 *     {@link AttemptOutcome#STALLED}; default the attempt timeout (no separate stall check)
 * @param maxAttempts how many attempts that fail ({@link AttemptOutcome#isFailure()}) before the
 *     task is {@link TaskState#BLOCKED}; default 3, at least 1
 * @param maxLost how many attempts whose worker was lost ({@link AttemptOutcome#WORKER_LOST})
 *     before the task is {@link TaskState#BLOCKED} as a poison task; default 3, at least 1
 * @param retryDelay the base delay before a failed task is due again; the n-th retry waits
 *     {@code retryDelay * 2^(n-1)} with jitter on top, never less than {@code retryDelay} and at most
 *     {@code maxRetryDelay} (plus jitter); default 1 s
 * @param maxRetryDelay the longest base delay between retries; default 5 min
 */
public record TaskSpec(String id, String payload, Duration attemptTimeout,
    Duration progressTimeout, int maxAttempts, int maxLost, Duration retryDelay,
    Duration maxRetryDelay) {
  /** The most characters of a payload, a checkpoint or an output. */
  public static final int MAX_PAYLOAD_LENGTH = 65_536;
  /** The default {@link #attemptTimeout()}: 30 minutes. */
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofMinutes(30);
  /** The default {@link #maxAttempts()}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** The default {@link #maxLost()}. */
  public static final int DEFAULT_MAX_LOST = 3;
  /** The default {@link #retryDelay()}: 1 second. */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
  /** The default {@link #maxRetryDelay()}: 5 minutes. */
  public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofMinutes(5);

  /** Checks the components; see the class comment for what each must be. */
  public TaskSpec {
    Checks.id("id", id);
    Checks.payload("payload", payload, MAX_PAYLOAD_LENGTH);
    Checks.positive("attemptTimeout", attemptTimeout);
    Checks.positive("progressTimeout", progressTimeout);
    Checks.atLeast("maxAttempts", maxAttempts, 1);
    Checks.atLeast("maxLost", maxLost, 1);
    Checks.positive("retryDelay", retryDelay);
    Checks.positive("maxRetryDelay", maxRetryDelay);
    if (maxRetryDelay.compareTo(retryDelay) < 0) {
      throw new IllegalArgumentException("maxRetryDelay must be at least retryDelay (" + retryDelay
          + "), got " + maxRetryDelay);
    }
  }

  /**
   * A task with the default policy.
   *
   * @param id the task's id (see the class comment)
   * @param payload what the handler works on (see the class comment)
   * @return a task with the default policy
   */
  public static TaskSpec of(String id, String payload) {
    return new TaskSpec(id, payload, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_ATTEMPT_TIMEOUT,
        DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_LOST, DEFAULT_RETRY_DELAY, DEFAULT_MAX_RETRY_DELAY);
  }

  /**
   * This spec with another attempt timeout; a progress timeout that followed the old attempt
   * timeout (equal to it) follows the new one.
   *
   * @param timeout the attempt timeout
   * @return a copy with {@code timeout}
   */
  public TaskSpec attemptTimeout(Duration timeout) {
    Duration progress = progressTimeout.equals(attemptTimeout) ? timeout : progressTimeout;
    return new TaskSpec(id, payload, timeout, progress, maxAttempts, maxLost, retryDelay,
        maxRetryDelay);
  }

  /**
   * This spec with another progress timeout.
   *
   * @param timeout the progress timeout
   * @return a copy with {@code timeout}
   */
  public TaskSpec progressTimeout(Duration timeout) {
    return new TaskSpec(id, payload, attemptTimeout, timeout, maxAttempts, maxLost, retryDelay,
        maxRetryDelay);
  }

  /**
   * This spec with another limit of failed attempts.
   *
   * @param attempts the limit, at least 1
   * @return a copy with {@code attempts}
   */
  public TaskSpec maxAttempts(int attempts) {
    return new TaskSpec(id, payload, attemptTimeout, progressTimeout, attempts, maxLost,
        retryDelay, maxRetryDelay);
  }

  /**
   * This spec with another limit of lost workers.
   *
   * @param lost the limit, at least 1
   * @return a copy with {@code lost}
   */
  public TaskSpec maxLost(int lost) {
    return new TaskSpec(id, payload, attemptTimeout, progressTimeout, maxAttempts, lost,
        retryDelay, maxRetryDelay);
  }

  /**
   * This spec with another retry backoff.
   *
   * @param base the first retry's base delay
   * @param max the longest base delay
   * @return a copy with the backoff
   */
  public TaskSpec retryDelay(Duration base, Duration max) {
    return new TaskSpec(id, payload, attemptTimeout, progressTimeout, maxAttempts, maxLost, base,
        max);
  }
}
