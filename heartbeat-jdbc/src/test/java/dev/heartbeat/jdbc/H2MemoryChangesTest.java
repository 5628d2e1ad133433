package dev.heartbeat.jdbc;

import dev.heartbeat.tck.ChangesContract;
import dev.heartbeat.tck.StoreHarness;

class H2MemoryChangesTest extends ChangesContract {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_MEMORY;
  }
}
