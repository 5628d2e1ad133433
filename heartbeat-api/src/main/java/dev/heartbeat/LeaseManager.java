package dev.heartbeat;

import java.time.Duration;
import java.util.Optional;

/**
 * Leases of one {@link Heartbeats}: one-shot operations on the caller's thread, and elections
 * that run on the ticker.
 *
 * <p>The one-shot operations carry no local deadline: a caller that uses them to act as a holder
 * must renew in time itself. {@link #elect} does all of that, safely; prefer it.
 * Thread-safe. Store failures throw {@link HeartbeatStoreException}; the calls are bounded by
 * {@link HeartbeatsConfig#callTimeout()}.
 */
public interface LeaseManager {

  /**
   * Who this process is when it holds a lease.
   *
   * @return who this process is when it holds a lease
   */
  String holderId();

  /**
   * {@link #tryAcquire(String, Duration)} with the default TTL.
   *
   * @param name the name
   * @return the lease granted, or empty when another holder has it
   */
  Optional<Lease> tryAcquire(String name);

  /**
   * Acquires {@code name} if it is free or expired.
   *
   * @param name the name
   * @param ttl the time to live
   * @return the lease, or empty when someone else holds it
   * @throws IllegalArgumentException when the name or ttl is invalid, naming it
   */
  Optional<Lease> tryAcquire(String name, Duration ttl);

  /**
   * Tries to acquire {@code name} until {@code timeout} passes, retrying every
   * {@link LeaseConfig#retryInterval()} of the default lease configuration.
   *
   * @param name the name
   * @param timeout how long to wait at most
   * @param ttl the time to live
   * @return the lease, or empty when the timeout passed first
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  Optional<Lease> acquire(String name, Duration ttl, Duration timeout) throws InterruptedException;

  /**
   * Renews a lease this holder holds, for its {@link Lease#ttl()}.
   *
   * @param lease the lease
   * @return the renewed lease, or empty when it was lost (expired or taken)
   */
  Optional<Lease> renew(Lease lease);

  /**
   * Releases a lease this holder holds; {@code false} when it was no longer held.
   *
   * @param lease the lease
   * @return whether the store released it (false when the term had already ended)
   */
  boolean release(Lease lease);

  /**
   * The lease as the store has it now, or empty when free, released or expired.
   *
   * @param name the name
   * @return the lease as the store has it now, or empty when free, released or expired
   */
  Optional<Lease> current(String name);

  /**
   * {@link #elect(String, LeaseConfig, LeadershipListener)} with the default configuration.
   *
   * @param listener the listener
   * @param name the name
   * @return the running campaign; close it to resign
   */
  Leadership elect(String name, LeadershipListener listener);

  /**
   * Campaigns for {@code name} in the background until the returned leadership (or the whole
   * {@link Heartbeats}) is closed. The configuration and holder are logged once at INFO.
   *
   * @param config the configuration
   * @param listener the listener
   * @param name the name
   * @return the running campaign; close it to resign
   * @throws IllegalStateException when this {@link Heartbeats} already campaigns for the name
   */
  Leadership elect(String name, LeaseConfig config, LeadershipListener listener);
}
