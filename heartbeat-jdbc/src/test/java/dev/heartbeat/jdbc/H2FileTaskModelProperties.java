package dev.heartbeat.jdbc;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskModelProperties;

class H2FileTaskModelProperties extends TaskModelProperties {
  @Override
  protected StoreHarness harness() {
    return Databases.H2_FILE;
  }
}
