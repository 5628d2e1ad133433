package dev.heartbeat.core;

import dev.heartbeat.tck.ChangesContract;
import dev.heartbeat.tck.StoreHarness;

class MemoryChangesTest extends ChangesContract {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }
}
