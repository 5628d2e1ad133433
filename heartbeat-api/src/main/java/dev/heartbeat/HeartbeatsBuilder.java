package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Builds a {@link Heartbeats}; every setter validates its value at once. Not thread-safe. */
public final class HeartbeatsBuilder {
  private HeartbeatStore store;
  private URI uri;
  private String holderId;
  private TimeSource time = TimeSource.system();
  private Duration callTimeout = Duration.ofSeconds(HeartbeatsConfig.DEFAULT_CALL_TIMEOUT_SECONDS);
  private Duration closeTimeout =
      Duration.ofSeconds(HeartbeatsConfig.DEFAULT_CLOSE_TIMEOUT_SECONDS);
  private AgentConfig agentDefaults = AgentConfig.DEFAULTS;
  private LeaseConfig leaseDefaults = LeaseConfig.DEFAULTS;
  private Duration forgetAfter = Duration.ofDays(HeartbeatsConfig.DEFAULT_FORGET_AFTER_DAYS);

  HeartbeatsBuilder() {}

  /**
   * A store built by the caller; the caller closes it.
   *
   * @param store the store
   * @return this builder
   */
  public HeartbeatsBuilder store(HeartbeatStore store) {
    this.store = Checks.notNull("store", store);
    this.uri = null;
    return this;
  }

  /**
   * A store opened by URI; closed with the {@link Heartbeats}.
   *
   * @param uri the URI
   * @return this builder
   */
  public HeartbeatsBuilder uri(String uri) {
    this.uri = Providers.parse(uri);
    this.store = null;
    return this;
  }

  /**
   * Who this process is when it holds leases.
   *
   * @param holderId the holder's id
   * @return this builder
   */
  public HeartbeatsBuilder holderId(String holderId) {
    this.holderId = Checks.id("holderId", holderId);
    return this;
  }

  /**
   * The clocks (tests pass a manual one).
   *
   * @param time the time source
   * @return this builder
   */
  public HeartbeatsBuilder time(TimeSource time) {
    this.time = Checks.notNull("time", time);
    return this;
  }

  /**
   * Bound of store calls made on the caller's thread.
   *
   * @param callTimeout how long a store call may take
   * @return this builder
   */
  public HeartbeatsBuilder callTimeout(Duration callTimeout) {
    this.callTimeout = Checks.positive("callTimeout", callTimeout);
    return this;
  }

  /**
   * Bound of {@code close()}.
   *
   * @param closeTimeout how long close() waits
   * @return this builder
   */
  public HeartbeatsBuilder closeTimeout(Duration closeTimeout) {
    this.closeTimeout = Checks.positive("closeTimeout", closeTimeout);
    return this;
  }

  /**
   * Defaults for agents.
   *
   * @param agentDefaults the settings of new agents
   * @return this builder
   */
  public HeartbeatsBuilder agentDefaults(AgentConfig agentDefaults) {
    this.agentDefaults = Checks.notNull("agentDefaults", agentDefaults);
    return this;
  }

  /**
   * Defaults for leases.
   *
   * @param leaseDefaults the settings of new elections
   * @return this builder
   */
  public HeartbeatsBuilder leaseDefaults(LeaseConfig leaseDefaults) {
    this.leaseDefaults = Checks.notNull("leaseDefaults", leaseDefaults);
    return this;
  }

  /**
   * How long an agent must have been silent as {@code LEFT} or {@code DEAD} before the stall
   * detector forgets it; see {@link HeartbeatsConfig#forgetAfter()}.
   *
   * @param forgetAfter how long an agent must be silent as {@code LEFT} or {@code DEAD} to be forgotten
   * @return this builder
   */
  public HeartbeatsBuilder forgetAfter(Duration forgetAfter) {
    this.forgetAfter = Checks.positive("forgetAfter", forgetAfter);
    return this;
  }

  /**
   * Validates the settings, opens the store if given by URI, and starts the ticker.
   *
   * @return the running instance, which the caller closes
   * @throws IllegalStateException when neither a store nor a URI was given, or no engine
   *     ({@code heartbeat-core}) is on the class path
   */
  public Heartbeats build() {
    if (store == null && uri == null) {
      throw new IllegalStateException("store or uri must be set, got neither");
    }
    HeartbeatsConfig config = new HeartbeatsConfig(
        holderId != null ? holderId : defaultHolderId(), time, callTimeout, closeTimeout,
        agentDefaults, leaseDefaults, forgetAfter);
    boolean owned = store == null;
    HeartbeatStore target = owned ? Providers.openStore(uri, false) : store;
    try {
      return Providers.engine().start(target, owned, config);
    } catch (RuntimeException | Error e) {
      if (owned) {
        target.close();
      }
      throw e;
    }
  }

  private static String defaultHolderId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | SecurityException e) {
      host = "host";
    }
    String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(4);
    String id = host + "-" + ProcessHandle.current().pid() + "-" + random;
    return id.length() > Checks.MAX_ID_LENGTH ? id.substring(id.length() - Checks.MAX_ID_LENGTH) : id;
  }
}
