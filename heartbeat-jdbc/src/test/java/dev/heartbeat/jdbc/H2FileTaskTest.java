package dev.heartbeat.jdbc;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskContract;

class H2FileTaskTest extends TaskContract {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_FILE;
  }
}
