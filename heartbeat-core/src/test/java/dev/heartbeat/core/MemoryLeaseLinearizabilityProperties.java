package dev.heartbeat.core;

import dev.heartbeat.tck.LeaseLinearizabilityProperties;
import dev.heartbeat.tck.StoreHarness;

class MemoryLeaseLinearizabilityProperties extends LeaseLinearizabilityProperties {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }
}
