package dev.heartbeat.tck;

import dev.heartbeat.spi.HeartbeatStore;

/**
 * What a store's tests give the contract kit: fresh stores, and a way to damage a record the way
 * the backend can be damaged. One harness per store kind; each contract test class asks for it
 * through {@code harness()}.
 */
public interface StoreHarness {

  /**
   * Opens a fresh, empty store (a new directory, a new key prefix, empty tables) whose clock
   * follows {@code time}: stores that take an injected clock use it; server stores add
   * {@link ManualTime#elapsed()} to their server's clock at every operation, so that advancing
   * {@code time} expires leases there too. Called once per test (and once per property try).
   *
   * @param historyLimit how many beats and events the store keeps per agent
   * @param time the time source
   * @return the fresh store
   */
  HeartbeatStore open(ManualTime time, int historyLimit);

  /**
   * Makes the agent's latest-state record unreadable (a torn file, a bad row, a bad hash).
   *
   * @param agentId the agent's id
   * @param store the store
   */
  void damageAgent(HeartbeatStore store, String agentId);

  /**
   * Makes the lease record unreadable. The fencing counter itself is left alone.
   *
   * @param name the name
   * @param store the store
   */
  void damageLease(HeartbeatStore store, String name);
}
