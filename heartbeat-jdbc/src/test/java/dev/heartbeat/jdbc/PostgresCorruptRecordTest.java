package dev.heartbeat.jdbc;

import dev.heartbeat.tck.CorruptRecordContract;
import dev.heartbeat.tck.StoreHarness;

class PostgresCorruptRecordTest extends CorruptRecordContract {
  @Override
  protected StoreHarness harness() {
    return Databases.POSTGRES;
  }
}
