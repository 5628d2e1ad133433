package dev.heartbeat.jdbc;

import dev.heartbeat.tck.ElectionContract;
import dev.heartbeat.tck.StoreHarness;

class H2MemoryElectionTest extends ElectionContract {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_MEMORY;
  }
}
