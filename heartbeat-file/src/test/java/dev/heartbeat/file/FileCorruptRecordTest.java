package dev.heartbeat.file;

import dev.heartbeat.tck.CorruptRecordContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's CorruptRecordContract on a fresh directory. */
class FileCorruptRecordTest extends CorruptRecordContract {
  @Override
  protected StoreHarness harness() {
    return new FileHarness();
  }
}
