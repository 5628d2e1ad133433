package dev.heartbeat.jdbc;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskSignalsContract;

/** The kit's task signals on PostgreSQL ({@code LISTEN/NOTIFY}). */
class PostgresTaskSignalsTest extends TaskSignalsContract {
  @Override
  protected StoreHarness harness() {
    return Databases.POSTGRES;
  }
}
