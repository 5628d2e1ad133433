/**
 * heartbeat: liveness, leader leases with fencing tokens and stall detection.
 *
 * <p>{@code dev.heartbeat} is the public API; {@code dev.heartbeat.spi} is what a store implements.
 * The engine (ticker, agents, leases) lives in {@code heartbeat-core} and is found through
 * {@link dev.heartbeat.spi.EngineProvider}; stores are found by URI scheme through
 * {@link dev.heartbeat.spi.HeartbeatStoreProvider}.
 */
module dev.heartbeat {
  exports dev.heartbeat;
  exports dev.heartbeat.spi;

  uses dev.heartbeat.spi.EngineProvider;
  uses dev.heartbeat.spi.HeartbeatStoreProvider;
}
