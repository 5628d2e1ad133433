package dev.heartbeat.spi;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.HeartbeatsConfig;

/**
 * Creates the engine behind {@link Heartbeats}; {@code heartbeat-core} provides the one
 * implementation. Found through {@link java.util.ServiceLoader}.
 */
public interface EngineProvider {

  /**
   * Starts an engine on {@code store}.
   *
   * @param store the store
   * @param closeStore whether closing the engine closes the store (it opened it)
   * @param config validated settings
   * @return the running engine
   */
  Heartbeats start(HeartbeatStore store, boolean closeStore, HeartbeatsConfig config);
}
