/**
 * The heartbeat engine: the virtual-thread ticker, agents, leader elections and the in-memory
 * store. Exports only what a store author or a user building a store explicitly needs.
 */
module dev.heartbeat.core {
  requires transitive dev.heartbeat;
  requires org.slf4j;
  requires jdk.management;

  exports dev.heartbeat.core;

  provides dev.heartbeat.spi.EngineProvider with dev.heartbeat.core.CoreEngineProvider;
  provides dev.heartbeat.spi.HeartbeatStoreProvider with dev.heartbeat.core.MemoryStoreProvider;
}
