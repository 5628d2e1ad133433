package dev.heartbeat.core.internal;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.HeartbeatsConfig;
import dev.heartbeat.spi.EngineProvider;
import dev.heartbeat.spi.HeartbeatStore;

/** The engine behind {@link Heartbeats#open(String)}; found through the service loader. */
public final class CoreEngineProvider implements EngineProvider {
  /** For the service loader. */
  public CoreEngineProvider() {}

  @Override
  public Heartbeats start(HeartbeatStore store, boolean closeStore, HeartbeatsConfig config) {
    return CoreInternals.start(store, closeStore, config);
  }
}
