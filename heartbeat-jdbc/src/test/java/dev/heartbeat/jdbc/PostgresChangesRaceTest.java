package dev.heartbeat.jdbc;

import dev.heartbeat.tck.ChangesRaceContract;
import dev.heartbeat.tck.DelayedCommitHarness;

/** The kit's commit-order race of the incremental read, commits held by {@link HoldingDataSource}. */
class PostgresChangesRaceTest extends ChangesRaceContract {
  @Override
  protected DelayedCommitHarness harness() {
    return Databases.POSTGRES;
  }
}
