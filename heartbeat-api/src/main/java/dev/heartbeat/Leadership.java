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
   * (measured on the monotonic clock from when the last successful renewal was sent) has not
   * passed. Computed at each call, so it is right even when the ticker is late: check it before
   * every act of leadership.
   *
   * @return whether this candidate is leader right now: it holds the lease and its local deadline
   *     (measured on the monotonic clock from when the last successful renewal was sent) has not
   *     passed
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
   * Stops campaigning. If leader: {@code revoked(RESIGNED)} is called and the lease released so
   * another candidate can take it at once. Bounded by the close timeout; idempotent.
   */
  @Override
  void close();
}
