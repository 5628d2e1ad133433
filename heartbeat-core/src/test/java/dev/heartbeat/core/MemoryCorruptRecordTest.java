package dev.heartbeat.core;

import dev.heartbeat.tck.CorruptRecordContract;
import dev.heartbeat.tck.StoreHarness;

class MemoryCorruptRecordTest extends CorruptRecordContract {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }
}
