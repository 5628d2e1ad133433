package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;

/**
 * Timing of a held lease. The safety rules are checked here, so there is no unsafe setting:
 * <ul>
 *   <li>{@code ttl} is at least twice {@code renewInterval}, so one failed renewal never loses
 *       the lease;</li>
 *   <li>{@code renewInterval < renewDeadline < ttl}: the holder stops acting as holder at
 *       {@code renewDeadline} after it <em>sent</em> its last successful renewal (measured on the
 *       local monotonic clock), which is before the store can expire it at {@code ttl} after it
 *       received that renewal. The difference is the margin for clock drift and for the
 *       {@code revoked} listener to stop work.</li>
 * </ul>
 *
 * <p>Build one with {@link #builder(Duration)} (named settings; what is not set is derived from
 * the TTL) or {@link #ofTtl(Duration)}, and change one setting with the {@code with...} methods:
 * <pre>{@code
 * LeaseConfig lease = LeaseConfig.builder(Duration.ofSeconds(30))
 *     .retryInterval(Duration.ofSeconds(2))
 *     .build();
 * }</pre>
 *
 * @param ttl how long the store keeps the lease after each acquisition or renewal; default 15 s
 * @param renewInterval how often the holder renews; default {@code ttl / 3}
 * @param renewDeadline how long after a renewal was sent the holder may act without another
 *     success; default {@code 2 * ttl / 3}
 * @param retryInterval how often a candidate retries to acquire a taken lease; default
 *     {@code ttl / 3}
 */
public record LeaseConfig(Duration ttl, Duration renewInterval, Duration renewDeadline,
    Duration retryInterval) {
  /** Default time-to-live in seconds. */
  public static final long DEFAULT_TTL_SECONDS = 15;
  /** TTL 15 s, renew every 5 s, step down 10 s after the last successful renewal was sent. */
  public static final LeaseConfig DEFAULTS = ofTtl(Duration.ofSeconds(DEFAULT_TTL_SECONDS));

  /** Checks the components; see the class comment for what each must be. */
  public LeaseConfig {
    Checks.positive("ttl", ttl);
    Checks.positive("renewInterval", renewInterval);
    Checks.positive("renewDeadline", renewDeadline);
    Checks.positive("retryInterval", retryInterval);
    if (ttl.compareTo(renewInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("ttl must be at least 2 x renewInterval (" + renewInterval
          + "), got ttl " + ttl);
    }
    if (renewDeadline.compareTo(renewInterval) <= 0) {
      throw new IllegalArgumentException("renewDeadline must be longer than renewInterval ("
          + renewInterval + "), got " + renewDeadline);
    }
    if (renewDeadline.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException("renewDeadline must be shorter than ttl (" + ttl
          + "), got " + renewDeadline);
    }
  }

  /**
   * The defaults derived from one TTL: renew every third, step down after two thirds.
   *
   * @param ttl the time to live
   * @return the defaults derived from one TTL: renew every third, step down after two thirds
   */
  public static LeaseConfig ofTtl(Duration ttl) {
    Checks.positive("ttl", ttl);
    Duration third = ttl.dividedBy(3);
    if (third.isZero()) {
      throw new IllegalArgumentException("ttl must be at least 3 ns, got " + ttl);
    }
    return new LeaseConfig(ttl, third, third.multipliedBy(2), third);
  }

  /**
   * A builder for a lease of {@code ttl}; the other settings default to the thirds of
   * {@link #ofTtl(Duration)} unless set.
   *
   * @param ttl the time to live
   * @return a builder for a lease of {@code ttl}; the other settings default to the thirds of
   *     {@link #ofTtl(Duration)} unless set
   * @throws IllegalArgumentException when {@code ttl} is not positive
   */
  public static Builder builder(Duration ttl) {
    return new Builder(ttl);
  }

  /**
   * A copy with another TTL; the other settings stay, and must still fit it.
   *
   * @param value the new ttl
   * @return a copy with another TTL; the other settings stay, and must still fit it
   */
  public LeaseConfig withTtl(Duration value) {
    return new LeaseConfig(value, renewInterval, renewDeadline, retryInterval);
  }

  /**
   * A copy with another renew interval.
   *
   * @param value the new renew interval
   * @return a copy with another renew interval
   */
  public LeaseConfig withRenewInterval(Duration value) {
    return new LeaseConfig(ttl, value, renewDeadline, retryInterval);
  }

  /**
   * A copy with another renew deadline.
   *
   * @param value the new renew deadline
   * @return a copy with another renew deadline
   */
  public LeaseConfig withRenewDeadline(Duration value) {
    return new LeaseConfig(ttl, renewInterval, value, retryInterval);
  }

  /**
   * A copy with another retry interval.
   *
   * @param value the new retry interval
   * @return a copy with another retry interval
   */
  public LeaseConfig withRetryInterval(Duration value) {
    return new LeaseConfig(ttl, renewInterval, renewDeadline, value);
  }

  /**
   * Builds a {@link LeaseConfig} by name; {@link #build()} applies the safety rules. Not
   * thread-safe.
   */
  public static final class Builder {
    private final Duration ttl;
    private Duration renewInterval;
    private Duration renewDeadline;
    private Duration retryInterval;

    private Builder(Duration ttl) {
      this.ttl = Checks.positive("ttl", ttl);
    }

    /**
     * How often the holder renews; default {@code ttl / 3}.
     *
     * @param value how often the holder renews
     * @return this builder
     */
    public Builder renewInterval(Duration value) {
      this.renewInterval = Checks.positive("renewInterval", value);
      return this;
    }

    /**
     * How long after a renewal was sent the holder may act; default {@code 2 * ttl / 3}.
     *
     * @param value how long after a renewal was sent the holder may act
     * @return this builder
     */
    public Builder renewDeadline(Duration value) {
      this.renewDeadline = Checks.positive("renewDeadline", value);
      return this;
    }

    /**
     * How often a candidate retries a taken lease; default {@code ttl / 3}.
     *
     * @param value how often a candidate retries a taken lease
     * @return this builder
     */
    public Builder retryInterval(Duration value) {
      this.retryInterval = Checks.positive("retryInterval", value);
      return this;
    }

    /**
     * The configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException when the settings break a safety rule, naming it
     */
    public LeaseConfig build() {
      LeaseConfig base = ofTtl(ttl);
      return new LeaseConfig(ttl,
          renewInterval != null ? renewInterval : base.renewInterval(),
          renewDeadline != null ? renewDeadline : base.renewDeadline(),
          retryInterval != null ? retryInterval : base.retryInterval());
    }
  }
}
