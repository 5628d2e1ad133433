package dev.heartbeat;

/**
 * Told when a candidate becomes leader and when it stops. Calls for one election arrive in order
 * ({@code elected}, {@code revoked}, {@code elected}, ...) on a thread of their own, never on the
 * ticker; an exception thrown here is logged and does not affect the election.
 */
public interface LeadershipListener {

  /**
   * The store confirmed the acquisition. Act as leader; pass {@link Lease#token()} to every
   * downstream write, and check {@link Leadership#isLeader()} before each act.
   *
   * @param lease the lease
   */
  void elected(Lease lease);

  /**
   * Stop acting as leader at once.
   *
   * @param lease the lease
   * @param reason the reason
   */
  void revoked(Lease lease, RevokeReason reason);
}
