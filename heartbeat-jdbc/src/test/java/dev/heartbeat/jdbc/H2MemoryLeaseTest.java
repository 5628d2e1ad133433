package dev.heartbeat.jdbc;

import dev.heartbeat.tck.LeaseContract;
import dev.heartbeat.tck.StoreHarness;

class H2MemoryLeaseTest extends LeaseContract {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_MEMORY;
  }
}
