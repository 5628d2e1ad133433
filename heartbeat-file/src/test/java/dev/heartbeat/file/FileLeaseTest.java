package dev.heartbeat.file;

import dev.heartbeat.tck.LeaseContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's LeaseContract on a fresh directory. */
class FileLeaseTest extends LeaseContract {
  @Override
  protected StoreHarness harness() {
    return new FileHarness();
  }
}
