package dev.heartbeat;

import java.util.Optional;

/**
 * A running campaign for one lease: it acquires the lease when free, renews it in the
 * background while held, and steps down before anyone else could take it over. Thread-safe.
 */
public interface Leadership extends AutoCloseable {

  /**
   * The lease name.
   *
   * @return the lease name
   */
  String name();

  /**
   * Whether this candidate is leader right now: it holds the lease and its local deadline
   * ({@link LeaseConfig#renewDeadline()} after the last successful renewal was sent, measured on
   * both the monotonic and the wall clock, whichever ends first) has not passed. Computed at each
   * call, so it is right even when the ticker is late: check it before every act of leadership.
   *
   * @return whether this candidate holds the lease and its local deadline has not passed
   */
  boolean isLeader();

  /**
   * The held lease while {@link #isLeader()}, otherwise empty.
   *
   * @return the held lease while {@link #isLeader()}, otherwise empty
   */
  Optional<Lease> lease();

  /**
   * A snapshot of this campaign's health.
   *
   * @return a snapshot of this campaign's health
   */
  LeaseDiagnostics diagnostics();

  /**
   * Waits until this candidate is leader, as Curator's {@code LeaderLatch.await}.
   *
   * @param timeout the longest to wait, on the engine's clock
   * @return true when leader within the timeout, false when it passed first or the campaign was
   *     closed
   * @throws InterruptedException when the calling thread is interrupted while waiting
   * @throws IllegalArgumentException when the timeout is null
   */
  boolean awaitLeadership(java.time.Duration timeout) throws InterruptedException;

  /**
   * Stops campaigning. If leader: it stops being leader at once, {@code revoked(RESIGNED)} is
   * queued for the listener, and once that call has returned the lease is released, so that
   * another candidate can take it: a candidate of this JVM for the same name (on a store of the
   * same description) tries again at once, one of another process at its next attempt (within its
   * retry interval). Bounded by the close timeout: a lease whose listener has not
   * returned by then is not released and expires after its ttl. Called from the listener itself,
   * it does not wait for its own {@code revoked}. Idempotent.
   */
  @Override
  void close();
}
