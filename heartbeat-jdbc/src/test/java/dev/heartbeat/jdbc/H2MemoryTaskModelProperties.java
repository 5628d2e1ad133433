package dev.heartbeat.jdbc;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskModelProperties;

class H2MemoryTaskModelProperties extends TaskModelProperties {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_MEMORY;
  }
}
