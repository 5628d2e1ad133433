package dev.heartbeat.jdbc;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskModelProperties;

class MariaDbTaskModelProperties extends TaskModelProperties {
  @Override
  protected StoreHarness harness() {
    return Databases.MARIADB;
  }
}
