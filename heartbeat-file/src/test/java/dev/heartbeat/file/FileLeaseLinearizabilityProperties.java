package dev.heartbeat.file;

import dev.heartbeat.tck.LeaseLinearizabilityProperties;
import dev.heartbeat.tck.StoreHarness;

/** The kit's concurrent lease histories, checked for linearizability, on a fresh directory per try. */
class FileLeaseLinearizabilityProperties extends LeaseLinearizabilityProperties {
  @Override
  protected StoreHarness harness() {
    return new FileHarness();
  }
}
