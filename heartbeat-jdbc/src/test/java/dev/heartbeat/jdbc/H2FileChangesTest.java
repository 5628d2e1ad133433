package dev.heartbeat.jdbc;

import dev.heartbeat.tck.ChangesContract;
import dev.heartbeat.tck.StoreHarness;

class H2FileChangesTest extends ChangesContract {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_FILE;
  }
}
