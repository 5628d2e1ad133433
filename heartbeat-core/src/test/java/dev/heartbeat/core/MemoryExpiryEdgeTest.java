package dev.heartbeat.core;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.CommitHold;
import dev.heartbeat.tck.DelayedCommitHarness;
import dev.heartbeat.tck.ExpiryEdgeContract;
import dev.heartbeat.tck.ManualTime;

/**
 * The expiry edge on the memory store. Its writes are atomic under the store's lock and visible
 * when the lock is let go, with nothing to commit afterwards, so the hold is never called.
 */
class MemoryExpiryEdgeTest extends ExpiryEdgeContract {
  private static final DelayedCommitHarness HARNESS = new DelayedCommitHarness() {
    @Override
    public HeartbeatStore openHoldingCommits(ManualTime time, int historyLimit,
        CommitHold hold) {
      return open(time, historyLimit);
    }

    @Override
    public HeartbeatStore open(ManualTime time, int historyLimit) {
      return MemoryHarness.INSTANCE.open(time, historyLimit);
    }

    @Override
    public void damageAgent(HeartbeatStore store, String agentId) {
      MemoryHarness.INSTANCE.damageAgent(store, agentId);
    }

    @Override
    public void damageLease(HeartbeatStore store, String name) {
      MemoryHarness.INSTANCE.damageLease(store, name);
    }
  };

  @Override
  protected DelayedCommitHarness harness() {
    return HARNESS;
  }
}
