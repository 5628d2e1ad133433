package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;

/**
 * How the {@link StallDetector} judges agents. Immutable and validated: every bad value is
 * rejected with a message that names the parameter and the value.
 *
 * <h2>The algorithm</h2>
 * The detector reads the store every {@code pollInterval} and notes when each new beat (a new
 * incarnation or sequence number) <em>arrives</em>, on the local monotonic clock. Per agent it
 * keeps the last {@code windowSize} inter-arrival times and computes phi, the suspicion level of
 * the current silence {@code t}: {@code phi = -log10(P(X > t))} for X normal with the window's
 * mean plus {@code acceptablePause} and its standard deviation (at least
 * {@code minStdDeviation}). An agent becomes {@code SUSPECT} when phi reaches
 * {@code phiThreshold} or its silence reaches {@code hardTimeout}, whatever the history says;
 * {@code DEAD} when, still without a beat, its silence passes what the whole fleet's history
 * makes a live agent's silence once in {@code 10^(phiThreshold - 1)} beats (an exponential tail
 * fitted to the inter-arrival times of every agent watched: a fleet that never pauses for long
 * convicts soon after the suspicion, one whose agents pause for 20 s now and then waits past
 * that), at least one poll interval after the suspicion and at most {@code suspicionGrace}
 * after it;
 * {@code STALLED} when it beats, says it is working, and its task and progress have not changed
 * for {@code stallAfter}. A detector tick late by more than {@code localPauseTolerance} (a GC
 * pause, a starved carrier thread) convicts nobody and does not count the pause as silence.
 *
 * <h2>Detection time of the defaults (agents beating every 5 s)</h2>
 * Once the window has learned steady beats, phi reaches 8 about {@code 5 + 5 + 5.6 x 0.5 =
 * 12.8 s} after the last beat, so a crashed agent is {@code SUSPECT} after about 13-14 s; it is
 * {@code DEAD} once the silence passes the fleet's learned tail: about 15-17 s after its last
 * beat in a fleet with 1 % failed writes and 2 s pauses, about 30 s in one whose pauses are
 * exponential with a 2 s mean (see the README's simulation).
 * The worst case, whatever the learned history, is {@code hardTimeout + suspicionGrace +
 * 2 x pollInterval = 15 + 18 + 2 = 35 s} after the last beat was stored (plus the time one read
 * of the store takes): one poll interval until the beat is seen, one until the tick that
 * convicts. With a live feed that misses a beat, the first
 * term is the slower safety-net read ({@value #FEED_POLL_FACTOR} poll intervals). Time during
 * which the detector cannot read the store does not count as anyone's silence, so an outage of
 * the store delays convictions by its length.
 *
 * <p>Start from {@link #DEFAULTS} or {@link #forInterval(Duration)} and change settings by name
 * with {@link #toBuilder()} (or one at a time with the {@code with...} methods):
 * <pre>{@code
 * DetectorConfig config = DetectorConfig.forInterval(Duration.ofSeconds(2)).toBuilder()
 *     .stallAfter(Duration.ofMinutes(10))
 *     .phiThreshold(10)
 *     .build();
 * }</pre>
 *
 * @param phiThreshold phi at which an agent becomes suspect; default
 *     {@value #DEFAULT_PHI_THRESHOLD} (a false suspicion about once in 10^8 beats under the
 *     learned distribution)
 * @param windowSize inter-arrival times kept per agent; default {@value #DEFAULT_WINDOW_SIZE}
 * @param minStdDeviation the least standard deviation assumed, so that very regular beats do not
 *     make the detector hair-triggered; default 500 ms
 * @param acceptablePause silence added to the mean before suspicion grows: pauses of the agent
 *     (GC, a slow store write) up to this long are not held against it; default 5 s
 * @param hardTimeout silence after which an agent is suspect whatever phi says; more than
 *     {@code expectedInterval}; default 15 s
 * @param suspicionGrace the longest a suspect agent stays silent before it is dead (sooner when
 *     its silence passes the fleet's learned tail); default 18 s
 * @param stallAfter how long a working agent may beat without progress before it is stalled;
 *     default 2 min
 * @param pollInterval how often the store is read and agents judged; with a store that pushes
 *     beats ({@link dev.heartbeat.spi.HeartbeatStore#feed()}) agents are still judged this often
 *     but the store is read {@value #FEED_POLL_FACTOR} times less often; default 1 s. Keep it well
 *     below the agents' beat interval.
 * @param expectedInterval the beat interval assumed for an agent before its beats are learned;
 *     default 5 s, the default {@link AgentConfig#interval()}
 * @param localPauseTolerance how late the detector's own tick may be before the round is treated
 *     as a local pause; default 1 s
 */
public record DetectorConfig(double phiThreshold, int windowSize, Duration minStdDeviation,
    Duration acceptablePause, Duration hardTimeout, Duration suspicionGrace, Duration stallAfter,
    Duration pollInterval, Duration expectedInterval, Duration localPauseTolerance) {
  /** Default phi threshold. */
  public static final double DEFAULT_PHI_THRESHOLD = 8.0;
  /** Default window of inter-arrival times. */
  public static final int DEFAULT_WINDOW_SIZE = 100;
  /** The largest window accepted. */
  public static final int MAX_WINDOW_SIZE = 10_000;
  /** How many times less often the store is read when it has a live feed. */
  public static final int FEED_POLL_FACTOR = 5;
  /** The defaults, for agents beating every 5 s: see the class comment for their bounds. */
  public static final DetectorConfig DEFAULTS = forInterval(Duration.ofSeconds(5));

  /** Checks the components; see the class comment for what each must be. */
  public DetectorConfig {
    if (!(phiThreshold > 0) || Double.isInfinite(phiThreshold)) {
      throw new IllegalArgumentException("phiThreshold must be positive and finite, got "
          + phiThreshold);
    }
    if (windowSize < 2 || windowSize > MAX_WINDOW_SIZE) {
      throw new IllegalArgumentException("windowSize must be in [2, " + MAX_WINDOW_SIZE
          + "], got " + windowSize);
    }
    Checks.positive("minStdDeviation", minStdDeviation);
    Checks.notNull("acceptablePause", acceptablePause);
    if (acceptablePause.isNegative()) {
      throw new IllegalArgumentException("acceptablePause must not be negative, got "
          + acceptablePause);
    }
    Checks.positive("hardTimeout", hardTimeout);
    Checks.positive("suspicionGrace", suspicionGrace);
    Checks.positive("stallAfter", stallAfter);
    Checks.positive("pollInterval", pollInterval);
    Checks.positive("expectedInterval", expectedInterval);
    Checks.positive("localPauseTolerance", localPauseTolerance);
    if (hardTimeout.compareTo(expectedInterval) <= 0) {
      throw new IllegalArgumentException("hardTimeout must be longer than expectedInterval ("
          + expectedInterval + "), got " + hardTimeout);
    }
  }

  /**
   * The defaults scaled to agents beating every {@code interval}: acceptable pause one
   * interval, hard timeout three, suspicion grace 3.6, poll every fifth of an interval (at most
   * 1 s), the rest as in {@link #DEFAULTS}.
   *
   * @param interval the interval between beats
   * @return the defaults scaled to agents beating every {@code interval}: acceptable pause one
   *     interval, hard timeout three, suspicion grace 3.6, poll every fifth of an interval (at most
   *     1 s), the rest as in {@link #DEFAULTS}
   */
  public static DetectorConfig forInterval(Duration interval) {
    Checks.positive("interval", interval);
    Duration poll = interval.dividedBy(5);
    if (poll.isZero() || poll.compareTo(Duration.ofSeconds(1)) > 0) {
      poll = Duration.ofSeconds(1);
    }
    return new DetectorConfig(DEFAULT_PHI_THRESHOLD, DEFAULT_WINDOW_SIZE,
        Duration.ofMillis(500), interval, interval.multipliedBy(3),
        interval.multipliedBy(18).dividedBy(5), Duration.ofMinutes(2), poll, interval,
        Duration.ofSeconds(1));
  }

  /**
   * A copy with another phi threshold.
   *
   * @param value the new phi threshold
   * @return a copy with another phi threshold
   */
  public DetectorConfig withPhiThreshold(double value) {
    return toBuilder().phiThreshold(value).build();
  }

  /**
   * A copy with another window size.
   *
   * @param value the new window size
   * @return a copy with another window size
   */
  public DetectorConfig withWindowSize(int value) {
    return toBuilder().windowSize(value).build();
  }

  /**
   * A copy with another least standard deviation.
   *
   * @param value the new least standard deviation
   * @return a copy with another least standard deviation
   */
  public DetectorConfig withMinStdDeviation(Duration value) {
    return toBuilder().minStdDeviation(value).build();
  }

  /**
   * A copy with another acceptable pause.
   *
   * @param value the new acceptable pause
   * @return a copy with another acceptable pause
   */
  public DetectorConfig withAcceptablePause(Duration value) {
    return toBuilder().acceptablePause(value).build();
  }

  /**
   * A copy with another hard timeout.
   *
   * @param value the new hard timeout
   * @return a copy with another hard timeout
   */
  public DetectorConfig withHardTimeout(Duration value) {
    return toBuilder().hardTimeout(value).build();
  }

  /**
   * A copy with another suspicion grace.
   *
   * @param value the new suspicion grace
   * @return a copy with another suspicion grace
   */
  public DetectorConfig withSuspicionGrace(Duration value) {
    return toBuilder().suspicionGrace(value).build();
  }

  /**
   * A copy with another stall timeout.
   *
   * @param value the new stall timeout
   * @return a copy with another stall timeout
   */
  public DetectorConfig withStallAfter(Duration value) {
    return toBuilder().stallAfter(value).build();
  }

  /**
   * A copy with another poll interval.
   *
   * @param value the new poll interval
   * @return a copy with another poll interval
   */
  public DetectorConfig withPollInterval(Duration value) {
    return toBuilder().pollInterval(value).build();
  }

  /**
   * A copy with another expected interval.
   *
   * @param value the new expected interval
   * @return a copy with another expected interval
   */
  public DetectorConfig withExpectedInterval(Duration value) {
    return toBuilder().expectedInterval(value).build();
  }

  /**
   * A copy with another local pause tolerance.
   *
   * @param value the new local pause tolerance
   * @return a copy with another local pause tolerance
   */
  public DetectorConfig withLocalPauseTolerance(Duration value) {
    return toBuilder().localPauseTolerance(value).build();
  }

  /**
   * The longest a crashed agent can stay undetected: see the class comment.
   *
   * @return the longest a crashed agent can stay undetected: see the class comment
   */
  public Duration worstCaseDetection() {
    return hardTimeout.plus(suspicionGrace).plus(pollInterval.multipliedBy(2));
  }

  /**
   * A builder holding this configuration's settings, to change some by name.
   *
   * @return a new builder with this configuration's settings
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link DetectorConfig} by name from a starting configuration; {@link #build()}
   * validates. Not thread-safe.
   */
  public static final class Builder {
    private double phiThreshold;
    private int windowSize;
    private Duration minStdDeviation;
    private Duration acceptablePause;
    private Duration hardTimeout;
    private Duration suspicionGrace;
    private Duration stallAfter;
    private Duration pollInterval;
    private Duration expectedInterval;
    private Duration localPauseTolerance;

    private Builder(DetectorConfig from) {
      this.phiThreshold = from.phiThreshold();
      this.windowSize = from.windowSize();
      this.minStdDeviation = from.minStdDeviation();
      this.acceptablePause = from.acceptablePause();
      this.hardTimeout = from.hardTimeout();
      this.suspicionGrace = from.suspicionGrace();
      this.stallAfter = from.stallAfter();
      this.pollInterval = from.pollInterval();
      this.expectedInterval = from.expectedInterval();
      this.localPauseTolerance = from.localPauseTolerance();
    }

    /**
     * Sets the phi threshold; see {@link DetectorConfig}.
     *
     * @param value the phi threshold
     * @return this builder
     */
    public Builder phiThreshold(double value) {
      this.phiThreshold = value;
      return this;
    }

    /**
     * Sets the window size; see {@link DetectorConfig}.
     *
     * @param value the window size
     * @return this builder
     */
    public Builder windowSize(int value) {
      this.windowSize = value;
      return this;
    }

    /**
     * Sets the least standard deviation; see {@link DetectorConfig}.
     *
     * @param value the least standard deviation
     * @return this builder
     */
    public Builder minStdDeviation(Duration value) {
      this.minStdDeviation = value;
      return this;
    }

    /**
     * Sets the acceptable pause; see {@link DetectorConfig}.
     *
     * @param value the acceptable pause
     * @return this builder
     */
    public Builder acceptablePause(Duration value) {
      this.acceptablePause = value;
      return this;
    }

    /**
     * Sets the hard timeout; see {@link DetectorConfig}.
     *
     * @param value the hard timeout
     * @return this builder
     */
    public Builder hardTimeout(Duration value) {
      this.hardTimeout = value;
      return this;
    }

    /**
     * Sets the suspicion grace; see {@link DetectorConfig}.
     *
     * @param value the suspicion grace
     * @return this builder
     */
    public Builder suspicionGrace(Duration value) {
      this.suspicionGrace = value;
      return this;
    }

    /**
     * Sets the stall timeout; see {@link DetectorConfig}.
     *
     * @param value the stall timeout
     * @return this builder
     */
    public Builder stallAfter(Duration value) {
      this.stallAfter = value;
      return this;
    }

    /**
     * Sets the poll interval; see {@link DetectorConfig}.
     *
     * @param value the poll interval
     * @return this builder
     */
    public Builder pollInterval(Duration value) {
      this.pollInterval = value;
      return this;
    }

    /**
     * Sets the expected interval; see {@link DetectorConfig}.
     *
     * @param value the expected interval
     * @return this builder
     */
    public Builder expectedInterval(Duration value) {
      this.expectedInterval = value;
      return this;
    }

    /**
     * Sets the local pause tolerance; see {@link DetectorConfig}.
     *
     * @param value the local pause tolerance
     * @return this builder
     */
    public Builder localPauseTolerance(Duration value) {
      this.localPauseTolerance = value;
      return this;
    }

    /**
     * The configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException when a setting is invalid, naming it and its value
     */
    public DetectorConfig build() {
      return new DetectorConfig(phiThreshold, windowSize, minStdDeviation, acceptablePause,
          hardTimeout, suspicionGrace, stallAfter, pollInterval, expectedInterval,
          localPauseTolerance);
    }
  }
}
