package dev.heartbeat.jdbc;

import dev.heartbeat.tck.DelayedCommitHarness;
import dev.heartbeat.tck.ExpiryEdgeContract;

/** The kit's expiry-edge races, with commits held by {@link HoldingDataSource}, on H2File. */
class H2FileExpiryEdgeTest extends ExpiryEdgeContract {
  @Override
  protected DelayedCommitHarness harness() {
    return Databases.H2_FILE;
  }
}
