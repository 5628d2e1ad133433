package dev.heartbeat.jdbc;

import dev.heartbeat.tck.HeartbeatContract;
import dev.heartbeat.tck.StoreHarness;

class PostgresHeartbeatTest extends HeartbeatContract {
  @Override
  protected StoreHarness harness() {
    return Databases.POSTGRES;
  }
}
