package dev.heartbeat.core;

import dev.heartbeat.tck.LeaseContract;
import dev.heartbeat.tck.StoreHarness;

class MemoryLeaseTest extends LeaseContract {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }
}
