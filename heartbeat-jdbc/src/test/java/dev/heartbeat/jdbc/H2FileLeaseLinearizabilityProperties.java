package dev.heartbeat.jdbc;

import dev.heartbeat.tck.LeaseLinearizabilityProperties;
import dev.heartbeat.tck.StoreHarness;

/** The kit's concurrent lease histories, checked for linearizability, on H2File. */
class H2FileLeaseLinearizabilityProperties extends LeaseLinearizabilityProperties {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_FILE;
  }
}
