package dev.heartbeat.jdbc;

import dev.heartbeat.tck.BatchContract;
import dev.heartbeat.tck.StoreHarness;

class PostgresBatchTest extends BatchContract {
  @Override
  protected StoreHarness harness() {
    return Databases.POSTGRES;
  }
}
