package dev.heartbeat.jdbc;

import dev.heartbeat.tck.LeaseContract;
import dev.heartbeat.tck.StoreHarness;

class H2FileLeaseTest extends LeaseContract {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_FILE;
  }
}
