package dev.heartbeat.tck;

/**
 * What a store opened by {@link DelayedCommitHarness#openHoldingCommits} calls between applying a
 * write and committing it: the write's locks are held and its effect is not yet visible to
 * others, as when a database's commit waits on a slow disk or a slow network. The expiry-edge
 * contract uses it to hold one call's commit while another call runs.
 */
@FunctionalInterface
public interface CommitHold {
  /** Never holds. */
  CommitHold NONE = () -> { };

  /**
   * Called on the thread of the store call, after a write was applied and before it commits;
   * may block for as long as the test wants the commit delayed.
   */
  void beforeCommit();
}
