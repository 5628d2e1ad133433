package dev.heartbeat.jdbc;

import dev.heartbeat.tck.ElectionContract;
import dev.heartbeat.tck.StoreHarness;

class MariaDbElectionTest extends ElectionContract {
  @Override
  protected StoreHarness harness() {
    return Databases.MARIADB;
  }
}
