package dev.heartbeat.jdbc;

import dev.heartbeat.tck.HeartbeatContract;
import dev.heartbeat.tck.StoreHarness;

class H2MemoryHeartbeatTest extends HeartbeatContract {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_MEMORY;
  }
}
