package dev.heartbeat.core;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskSignalsContract;

class MemoryTaskSignalsTest extends TaskSignalsContract {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }
}
