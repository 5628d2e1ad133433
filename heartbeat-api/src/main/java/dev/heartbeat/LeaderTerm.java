package dev.heartbeat;

import java.util.concurrent.CompletionStage;

/**
 * One term of leadership: from the {@code elected} that began it to the {@code revoked} that ends
 * it. Handed to {@link LeadershipListener#elected(LeaderTerm)}, so that work done as leader can be
 * tied to the term it belongs to, and stop when the term ends even while {@code elected} still
 * runs. Thread-safe.
 */
public interface LeaderTerm {

  /**
   * The lease as the store granted it at the start of this term.
   *
   * @return the lease of this term
   */
  Lease lease();

  /**
   * The fencing token of this term; pass it to every downstream write.
   *
   * @return {@code lease().token()}
   */
  default long token() {
    return lease().token();
  }

  /**
   * Whether this term still runs: the candidate leads, with this term's token, and its local
   * validity has not passed. Computed at each call, like {@link Leadership#isLeader()}.
   *
   * @return true while this term lasts
   */
  boolean isValid();

  /**
   * Completes with the reason when this term ends, at the moment of the transition: before the
   * listener's {@code revoked} is called (which waits for {@code elected} to return). Never
   * completes exceptionally.
   *
   * @return a stage that completes once, with why the term ended
   */
  CompletionStage<RevokeReason> revocation();
}
