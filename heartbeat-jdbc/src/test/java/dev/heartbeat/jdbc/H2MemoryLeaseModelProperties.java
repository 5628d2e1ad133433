package dev.heartbeat.jdbc;

import dev.heartbeat.tck.LeaseModelProperties;
import dev.heartbeat.tck.StoreHarness;

class H2MemoryLeaseModelProperties extends LeaseModelProperties {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_MEMORY;
  }
}
