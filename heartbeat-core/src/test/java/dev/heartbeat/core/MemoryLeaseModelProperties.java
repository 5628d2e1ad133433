package dev.heartbeat.core;

import dev.heartbeat.tck.LeaseModelProperties;
import dev.heartbeat.tck.StoreHarness;

class MemoryLeaseModelProperties extends LeaseModelProperties {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }
}
