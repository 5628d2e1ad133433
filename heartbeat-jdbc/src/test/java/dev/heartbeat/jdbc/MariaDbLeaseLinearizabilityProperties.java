package dev.heartbeat.jdbc;

import dev.heartbeat.tck.LeaseLinearizabilityProperties;
import dev.heartbeat.tck.StoreHarness;

/** The kit's concurrent lease histories, checked for linearizability, on MariaDb. */
class MariaDbLeaseLinearizabilityProperties extends LeaseLinearizabilityProperties {
  @Override
  protected StoreHarness harness() {
    return Databases.MARIADB;
  }
}
