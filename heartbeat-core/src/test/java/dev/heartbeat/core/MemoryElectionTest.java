package dev.heartbeat.core;

import dev.heartbeat.tck.ElectionContract;
import dev.heartbeat.tck.StoreHarness;

class MemoryElectionTest extends ElectionContract {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }
}
