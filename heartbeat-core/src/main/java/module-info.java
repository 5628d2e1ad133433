/**
 * The heartbeat engine: the virtual-thread ticker, agents, leader elections and the in-memory
 * store. Exports only {@code dev.heartbeat.core}, the in-memory store users build for tests; the
 * engine and the store are found by the service loader ({@code provides}), and
 * {@code dev.heartbeat.core.internal} is open only to the benchmarks (a module that is not on
 * the module path when this one compiles, hence the suppressed warning).
 */
@SuppressWarnings("module")
module dev.heartbeat.core {
  requires transitive dev.heartbeat;
  requires org.slf4j;
  requires jdk.management;

  exports dev.heartbeat.core;
  exports dev.heartbeat.core.internal to dev.heartbeat.benchmarks;

  provides dev.heartbeat.spi.EngineProvider with dev.heartbeat.core.internal.CoreEngineProvider;
  provides dev.heartbeat.spi.HeartbeatStoreProvider with dev.heartbeat.core.internal.MemoryStoreProvider;
}
