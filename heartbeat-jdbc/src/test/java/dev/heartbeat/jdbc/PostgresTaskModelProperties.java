package dev.heartbeat.jdbc;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskModelProperties;

class PostgresTaskModelProperties extends TaskModelProperties {
  @Override
  protected StoreHarness harness() {
    return Databases.POSTGRES;
  }
}
