package dev.heartbeat.tck;

import dev.heartbeat.spi.HeartbeatStore;

/**
 * A harness whose stores can delay their commits, for {@link ExpiryEdgeContract}. A store of
 * real transactions (JDBC) calls the hold before every commit, also of statements the store runs
 * in auto-commit mode; a store whose writes become visible atomically with no lock held
 * beforehand (the memory store, under its lock) has nothing to delay and may ignore the hold.
 */
public interface DelayedCommitHarness extends StoreHarness {

  /**
   * Opens a fresh store as {@link #open} does, whose writes call {@code hold} between being
   * applied and being committed.
   *
   * @param time the test's clock
   * @param historyLimit how many beats and events the store keeps per agent
   * @param hold called before each commit, on the calling thread
   * @return the store
   */
  HeartbeatStore openHoldingCommits(ManualTime time, int historyLimit, CommitHold hold);
}
