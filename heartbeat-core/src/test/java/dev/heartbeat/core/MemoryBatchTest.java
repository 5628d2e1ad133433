package dev.heartbeat.core;

import dev.heartbeat.tck.BatchContract;
import dev.heartbeat.tck.StoreHarness;

class MemoryBatchTest extends BatchContract {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }
}
