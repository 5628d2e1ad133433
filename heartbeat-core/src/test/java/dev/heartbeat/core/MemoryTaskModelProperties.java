package dev.heartbeat.core;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskModelProperties;

class MemoryTaskModelProperties extends TaskModelProperties {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }
}
