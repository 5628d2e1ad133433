package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.spi.HeartbeatStore;
import org.junit.jupiter.api.Test;

/**
 * The expiry-edge contract catches a store whose acquisition writes over a renewal that
 * committed while it waited on the row (the JDBC store's bug of issue 13, item 4, in a small
 * model: {@link RowLockedLeaseStore}), and passes the same model once the acquisition reads the
 * row again under its lock.
 */
class ExpiryEdgeContractTest {

  @Test
  void aRenewalOverwrittenAtTheExpiryEdgeIsCaughtAndTheLockedReadPasses() throws Exception {
    ExpiryEdgeContract broken = on(false);
    try {
      assertThatThrownBy(
          broken::aRenewalCommittingSlowlyAtTheExpiryEdgeIsNotOverwrittenByAnAcquisition)
          .isInstanceOf(AssertionError.class).hasMessageContaining("b took the lease");
    } finally {
      broken.closeHoldingStores();
    }
    ExpiryEdgeContract fixed = on(true);
    try {
      fixed.aRenewalCommittingSlowlyAtTheExpiryEdgeIsNotOverwrittenByAnAcquisition();
      fixed.twoAcquisitionsOfAnExpiredLeaseOneCommittingSlowlyGiveOneHolder();
      fixed.eightThreadsRenewingAndAcquiringWithAShortTtlNeverOverlap();
    } finally {
      fixed.closeHoldingStores();
    }
  }

  private static ExpiryEdgeContract on(boolean lockedRead) {
    DelayedCommitHarness harness = new DelayedCommitHarness() {
      @Override
      public HeartbeatStore openHoldingCommits(ManualTime time, int historyLimit,
          CommitHold hold) {
        return new RowLockedLeaseStore(new ClockOnlyStore(time), hold, lockedRead);
      }

      @Override
      public HeartbeatStore open(ManualTime time, int historyLimit) {
        return openHoldingCommits(time, historyLimit, CommitHold.NONE);
      }

      @Override
      public void damageAgent(HeartbeatStore store, String agentId) {
        throw new UnsupportedOperationException("the expiry-edge contract damages nothing");
      }

      @Override
      public void damageLease(HeartbeatStore store, String name) {
        throw new UnsupportedOperationException("the expiry-edge contract damages nothing");
      }
    };
    return new ExpiryEdgeContract() {
      @Override
      protected DelayedCommitHarness harness() {
        return harness;
      }
    };
  }
}
