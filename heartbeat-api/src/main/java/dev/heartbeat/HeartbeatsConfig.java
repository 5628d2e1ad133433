package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;

/**
 * Settings of one {@link Heartbeats} instance. Build with {@link Heartbeats#builder()}.
 *
 * @param holderId who this process is when it holds leases; default {@code host-pid-random}
 * @param time the clocks; default {@link TimeSource#system()}
 * @param callTimeout the longest a store call made on the caller's thread may take (a held
 *     lease's renewals are bounded by its remaining validity instead); default 10 s
 * @param closeTimeout the longest {@code close()} waits for the ticker, the final beats and the
 *     releases; default 5 s
 * @param agentDefaults defaults for agents
 * @param leaseDefaults defaults for leases
 * @param forgetAfter how long an agent must have been silent, as {@code LEFT} or {@code DEAD}, for
 *     this instance's {@link StallDetector} to forget it ({@link
 *     dev.heartbeat.spi.HeartbeatStore#forget}): latest state, history and progress events, at most
 *     {@value #FORGET_PER_CALL} agents per call and one call at a time. Silence the detector could
 *     not watch (the store unreadable, a local pause) does not count. An agent that beats again
 *     after it was forgotten registers again. Default {@value #DEFAULT_FORGET_AFTER_DAYS} days
 */
public record HeartbeatsConfig(String holderId, TimeSource time, Duration callTimeout,
    Duration closeTimeout, AgentConfig agentDefaults, LeaseConfig leaseDefaults,
    Duration forgetAfter) {
  /** Default timeout of a store call on the caller's thread, in seconds. */
  public static final long DEFAULT_CALL_TIMEOUT_SECONDS = 10;
  /** Default bound of {@code close()}, in seconds. */
  public static final long DEFAULT_CLOSE_TIMEOUT_SECONDS = 5;
  /** Default {@link #forgetAfter()}, in days. */
  public static final long DEFAULT_FORGET_AFTER_DAYS = 7;
  /** The most agents forgotten in one store call. */
  public static final int FORGET_PER_CALL = 100;

  /** Checks the components; see the class comment for what each must be. */
  public HeartbeatsConfig {
    Checks.id("holderId", holderId);
    Checks.notNull("time", time);
    Checks.positive("callTimeout", callTimeout);
    Checks.positive("closeTimeout", closeTimeout);
    Checks.notNull("agentDefaults", agentDefaults);
    Checks.notNull("leaseDefaults", leaseDefaults);
    Checks.positive("forgetAfter", forgetAfter);
  }

  /**
   * Settings with the default {@link #forgetAfter()}.
   *
   * @param agentDefaults the settings of new agents
   * @param callTimeout how long a store call may take
   * @param closeTimeout how long close() waits
   * @param holderId the holder's id
   * @param leaseDefaults the settings of new elections
   * @param time the time source
   */
  public HeartbeatsConfig(String holderId, TimeSource time, Duration callTimeout,
      Duration closeTimeout, AgentConfig agentDefaults, LeaseConfig leaseDefaults) {
    this(holderId, time, callTimeout, closeTimeout, agentDefaults, leaseDefaults,
        Duration.ofDays(DEFAULT_FORGET_AFTER_DAYS));
  }
}
