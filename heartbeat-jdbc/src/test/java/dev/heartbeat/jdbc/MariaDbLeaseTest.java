package dev.heartbeat.jdbc;

import dev.heartbeat.tck.LeaseContract;
import dev.heartbeat.tck.StoreHarness;

class MariaDbLeaseTest extends LeaseContract {
  @Override
  protected StoreHarness harness() {
    return Databases.MARIADB;
  }
}
