package dev.heartbeat.jdbc;

import dev.heartbeat.tck.CorruptRecordContract;
import dev.heartbeat.tck.StoreHarness;

class MariaDbCorruptRecordTest extends CorruptRecordContract {
  @Override
  protected StoreHarness harness() {
    return Databases.MARIADB;
  }
}
