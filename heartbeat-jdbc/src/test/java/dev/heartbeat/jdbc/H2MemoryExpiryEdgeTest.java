package dev.heartbeat.jdbc;

import dev.heartbeat.tck.DelayedCommitHarness;
import dev.heartbeat.tck.ExpiryEdgeContract;

/** The kit's expiry-edge races, with commits held by {@link HoldingDataSource}, on H2Memory. */
class H2MemoryExpiryEdgeTest extends ExpiryEdgeContract {
  @Override
  protected DelayedCommitHarness harness() {
    return Databases.H2_MEMORY;
  }
}
