package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Told when a candidate becomes leader and when it stops.
 *
 * <p>Threading model: the calls for one election run one at a time, in the order of the
 * transitions ({@code elected}, {@code revoked}, {@code elected}, ...), on a virtual thread of
 * that election, never on the ticker; every {@code revoked} names the term (the lease and its
 * token) that its {@code elected} began, so a listener never ends believing it leads. Calls wait
 * in a bounded queue: a listener so slow that 16 calls wait has the terms that ended before their
 * {@code elected} could start skipped whole (neither call is made). When a term ends while {@code elected} still runs (a listener that leads until it
 * returns), the thread running it is interrupted at once and {@link LeaderTerm#revocation()}
 * completes; {@code revoked} follows when {@code elected} returns. Nothing in the engine waits on
 * the listener's own thread: {@link Leadership#close()} or {@link Heartbeats#close()} called from
 * a listener returns without waiting for its own {@code revoked}. An exception thrown here is
 * logged and does not affect the election.
 */
public interface LeadershipListener {

  /**
   * The store confirmed the acquisition. Act as leader; pass {@link Lease#token()} to every
   * downstream write, and check {@link Leadership#isLeader()} before each act.
   *
   * @param lease the lease of the new term
   */
  void elected(Lease lease);

  /**
   * The store confirmed the acquisition; what the engine calls. By default it calls
   * {@link #elected(Lease)}; override it to tie work to the term (its token, whether it still
   * runs, a stage completed when it ends).
   *
   * @param term the new term
   */
  default void elected(LeaderTerm term) {
    elected(term.lease());
  }

  /**
   * Stop acting as leader at once.
   *
   * @param lease the lease of the term that ended, as its {@code elected} was told
   * @param reason why it ended
   */
  void revoked(Lease lease, RevokeReason reason);

  /**
   * A listener from two lambdas.
   *
   * @param onElected called with the lease of each new term
   * @param onRevoked called with the lease of the term that ended and why
   * @return a listener calling them
   * @throws IllegalArgumentException when either is null
   */
  static LeadershipListener of(Consumer<? super Lease> onElected,
      BiConsumer<? super Lease, ? super RevokeReason> onRevoked) {
    Checks.notNull("onElected", onElected);
    Checks.notNull("onRevoked", onRevoked);
    return new LeadershipListener() {
      @Override
      public void elected(Lease lease) {
        onElected.accept(lease);
      }

      @Override
      public void revoked(Lease lease, RevokeReason reason) {
        onRevoked.accept(lease, reason);
      }
    };
  }
}
