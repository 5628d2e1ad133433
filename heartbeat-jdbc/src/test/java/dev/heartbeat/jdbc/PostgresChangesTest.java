package dev.heartbeat.jdbc;

import dev.heartbeat.tck.ChangesContract;
import dev.heartbeat.tck.StoreHarness;

class PostgresChangesTest extends ChangesContract {
  @Override
  protected StoreHarness harness() {
    return Databases.POSTGRES;
  }
}
