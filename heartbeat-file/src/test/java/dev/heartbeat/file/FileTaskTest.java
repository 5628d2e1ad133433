package dev.heartbeat.file;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskContract;

/** The kit's TaskContract on a fresh directory. */
class FileTaskTest extends TaskContract {
  @Override
  protected StoreHarness harness() {
    return new FileHarness();
  }
}
