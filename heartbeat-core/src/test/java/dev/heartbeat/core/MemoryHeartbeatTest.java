package dev.heartbeat.core;

import dev.heartbeat.tck.HeartbeatContract;
import dev.heartbeat.tck.StoreHarness;

class MemoryHeartbeatTest extends HeartbeatContract {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }
}
