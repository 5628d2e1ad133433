package dev.heartbeat;

/**
 * A running {@link LeaseManager#watch watch} of who holds one lease. Thread-safe.
 */
public interface LeaseWatch extends AutoCloseable {

  /**
   * The lease watched.
   *
   * @return its name
   */
  String name();

  /** Stops reading and telling; idempotent. A call being told still finishes. */
  @Override
  void close();
}
