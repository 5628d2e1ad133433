package dev.heartbeat.core;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ManualTime;
import dev.heartbeat.tck.StoreHarness;

/** The in-memory store for the contract kit: the reference passes the whole kit. */
final class MemoryHarness implements StoreHarness {
  static final MemoryHarness INSTANCE = new MemoryHarness();

  @Override
  public HeartbeatStore open(ManualTime time, int historyLimit) {
    return new MemoryStore(time, historyLimit);
  }

  @Override
  public void damageAgent(HeartbeatStore store, String agentId) {
    ((MemoryStore) store).damageAgent(agentId);
  }

  @Override
  public void damageLease(HeartbeatStore store, String name) {
    ((MemoryStore) store).damageLease(name);
  }
}
