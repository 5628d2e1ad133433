package dev.heartbeat.file;

import dev.heartbeat.tck.LeaseModelProperties;
import dev.heartbeat.tck.StoreHarness;

/** The kit's lease model properties on a fresh directory per try. */
class FileLeaseModelProperties extends LeaseModelProperties {
  @Override
  protected StoreHarness harness() {
    return new FileHarness();
  }
}
