package dev.heartbeat.jdbc;

import dev.heartbeat.tck.LeaseModelProperties;
import dev.heartbeat.tck.StoreHarness;

class MariaDbLeaseModelProperties extends LeaseModelProperties {
  @Override
  protected StoreHarness harness() {
    return Databases.MARIADB;
  }
}
