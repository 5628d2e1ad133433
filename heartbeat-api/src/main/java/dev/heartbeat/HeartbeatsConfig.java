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
 */
public record HeartbeatsConfig(String holderId, TimeSource time, Duration callTimeout,
    Duration closeTimeout, AgentConfig agentDefaults, LeaseConfig leaseDefaults) {
  /** Default timeout of a store call on the caller's thread, in seconds. */
  public static final long DEFAULT_CALL_TIMEOUT_SECONDS = 10;
  /** Default bound of {@code close()}, in seconds. */
  public static final long DEFAULT_CLOSE_TIMEOUT_SECONDS = 5;

  public HeartbeatsConfig {
    Checks.id("holderId", holderId);
    Checks.notNull("time", time);
    Checks.positive("callTimeout", callTimeout);
    Checks.positive("closeTimeout", closeTimeout);
    Checks.notNull("agentDefaults", agentDefaults);
    Checks.notNull("leaseDefaults", leaseDefaults);
  }
}
