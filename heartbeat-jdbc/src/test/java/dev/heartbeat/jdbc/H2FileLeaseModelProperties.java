package dev.heartbeat.jdbc;

import dev.heartbeat.tck.LeaseModelProperties;
import dev.heartbeat.tck.StoreHarness;

class H2FileLeaseModelProperties extends LeaseModelProperties {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_FILE;
  }
}
