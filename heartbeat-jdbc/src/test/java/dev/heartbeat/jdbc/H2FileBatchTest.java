package dev.heartbeat.jdbc;

import dev.heartbeat.tck.BatchContract;
import dev.heartbeat.tck.StoreHarness;

class H2FileBatchTest extends BatchContract {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_FILE;
  }
}
