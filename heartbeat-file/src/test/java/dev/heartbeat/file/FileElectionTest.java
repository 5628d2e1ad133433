package dev.heartbeat.file;

import dev.heartbeat.tck.ElectionContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's ElectionContract on a fresh directory. */
class FileElectionTest extends ElectionContract {
  @Override
  protected StoreHarness harness() {
    return new FileHarness();
  }
}
