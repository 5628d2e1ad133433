package dev.heartbeat.file;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskModelProperties;

/** The kit's task model properties on a fresh directory per try. */
class FileTaskModelProperties extends TaskModelProperties {
  @Override
  protected StoreHarness harness() {
    return new FileHarness();
  }
}
