package dev.heartbeat.core.internal;

import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.HeartbeatsConfig;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Not API: the door from outside the engine's package to what it keeps package-private. The
 * engine package installs its {@link Access} when its class {@code dev.heartbeat.core.InternalAccess}
 * initialises, which the first call here triggers; only that class may install it, once.
 */
public final class CoreInternals {
  private static final String ACCESS = "dev.heartbeat.core.InternalAccess";
  private static final AtomicReference<Access> ACCESSED = new AtomicReference<>();

  private CoreInternals() {}

  /** What the engine's package opens to this one. */
  public interface Access {
    /**
     * Starts an engine.
     *
     * @param store the store
     * @param closeStore whether closing the engine closes the store
     * @param config the settings
     * @return the running engine
     */
    Heartbeats start(HeartbeatStore store, boolean closeStore, HeartbeatsConfig config);

    /**
     * A detector's judgement, the one the engine's stall detector runs.
     *
     * @param config the detector's settings
     * @param wall the clock that stamps the changes
     * @return a new judgement with no agent
     */
    DetectorJudge detector(DetectorConfig config, InstantSource wall);
  }

  /**
   * Called once by the engine's package.
   *
   * @param engine the engine package's access
   * @throws IllegalStateException when called twice or by another class
   */
  public static void install(Access engine) {
    if (engine == null || !engine.getClass().getName().equals(ACCESS)
        || engine.getClass().getModule() != CoreInternals.class.getModule()) {
      throw new IllegalStateException("access: only " + ACCESS + " installs it, not "
          + (engine == null ? "null" : engine.getClass().getName()));
    }
    if (!ACCESSED.compareAndSet(null, engine)) {
      throw new IllegalStateException("access: installed already");
    }
  }

  /**
   * Starts the engine on {@code store}.
   *
   * @param store the store
   * @param closeStore whether closing the engine closes the store
   * @param config the settings
   * @return the running engine
   */
  public static Heartbeats start(HeartbeatStore store, boolean closeStore,
      HeartbeatsConfig config) {
    return access().start(store, closeStore, config);
  }

  /**
   * The stall detector's judgement, for simulators and benchmarks.
   *
   * @param config the detector's settings
   * @param wall the clock that stamps the changes
   * @return a new judgement with no agent
   */
  public static DetectorJudge detector(DetectorConfig config, InstantSource wall) {
    return access().detector(config, wall);
  }

  private static Access access() {
    Access a = ACCESSED.get();
    if (a == null) {
      try {
        Class.forName(ACCESS, true, CoreInternals.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("heartbeat-core is incomplete: no " + ACCESS, e);
      }
      a = ACCESSED.get();
    }
    return a;
  }
}
