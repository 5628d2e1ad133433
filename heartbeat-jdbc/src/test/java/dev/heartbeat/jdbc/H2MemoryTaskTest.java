package dev.heartbeat.jdbc;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskContract;

class H2MemoryTaskTest extends TaskContract {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_MEMORY;
  }
}
