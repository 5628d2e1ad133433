package dev.heartbeat.grpc;

import dev.heartbeat.core.MemoryDamage;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.CommitHold;
import dev.heartbeat.tck.DelayedCommitHarness;
import dev.heartbeat.tck.ManualTime;

/**
 * The kit through a network hop: a server in front of a fresh memory store on the kit's clock,
 * and a {@link GrpcStore} to it. Damage goes to the backing store, where records live.
 */
final class GrpcHarness implements DelayedCommitHarness {
  static final GrpcHarness INSTANCE = new GrpcHarness();

  @Override
  public HeartbeatStore open(ManualTime time, int historyLimit) {
    return ServedStore.open(new MemoryStore(time, historyLimit));
  }

  /** The memory store commits under its lock, with nothing after: the hold is never called. */
  @Override
  public HeartbeatStore openHoldingCommits(ManualTime time, int historyLimit, CommitHold hold) {
    return open(time, historyLimit);
  }

  @Override
  public void damageAgent(HeartbeatStore store, String agentId) {
    MemoryDamage.agent(((ServedStore) store).backing, agentId);
  }

  @Override
  public void damageLease(HeartbeatStore store, String name) {
    MemoryDamage.lease(((ServedStore) store).backing, name);
  }
}
