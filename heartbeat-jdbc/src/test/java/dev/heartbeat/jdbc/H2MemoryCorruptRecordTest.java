package dev.heartbeat.jdbc;

import dev.heartbeat.tck.CorruptRecordContract;
import dev.heartbeat.tck.StoreHarness;

class H2MemoryCorruptRecordTest extends CorruptRecordContract {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_MEMORY;
  }
}
