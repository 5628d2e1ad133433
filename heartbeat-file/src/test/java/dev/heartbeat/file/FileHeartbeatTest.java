package dev.heartbeat.file;

import dev.heartbeat.tck.HeartbeatContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's HeartbeatContract on a fresh directory. */
class FileHeartbeatTest extends HeartbeatContract {
  @Override
  protected StoreHarness harness() {
    return new FileHarness();
  }
}
