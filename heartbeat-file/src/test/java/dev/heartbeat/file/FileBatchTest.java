package dev.heartbeat.file;

import dev.heartbeat.tck.BatchContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's BatchContract on a fresh directory. */
class FileBatchTest extends BatchContract {
  @Override
  protected StoreHarness harness() {
    return new FileHarness();
  }
}
