package dev.heartbeat.jdbc;

import dev.heartbeat.tck.LeaseModelProperties;
import dev.heartbeat.tck.StoreHarness;

class PostgresLeaseModelProperties extends LeaseModelProperties {
  @Override
  protected StoreHarness harness() {
    return Databases.POSTGRES;
  }
}
