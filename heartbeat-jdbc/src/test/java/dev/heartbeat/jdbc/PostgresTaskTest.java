package dev.heartbeat.jdbc;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskContract;

class PostgresTaskTest extends TaskContract {
  @Override
  protected StoreHarness harness() {
    return Databases.POSTGRES;
  }
}
