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
   * @param timeout how long to wait at most; zero tries once
   * @param ttl the time to live
   * @return the lease, or empty when the timeout passed first
   * @throws InterruptedException when the calling thread is interrupted while waiting
   * @throws IllegalArgumentException when the name or ttl is invalid or the timeout null or
   *     negative, naming it
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

  /**
   * Watches who holds {@code name}, as client-go's {@code OnNewLeader}, for followers that do not
   * campaign (or do and want to know who leads instead). The store is read on the ticker every
   * {@link LeaseConfig#retryInterval()} of the default lease configuration, and at once when an
   * election of this instance for the name changes hands; {@code onChange} is told the first
   * answer and then every change of holder or token ({@code empty} when nobody holds it), in
   * order, on a thread of this watch, never on the ticker. A change that comes and goes between
   * two reads is not seen. While the listener is busy only the latest news waits. At most
   * {@value #MAX_WATCHES} watches run per instance.
   *
   * @param name the lease
   * @param onChange told the lease as the store holds it, or empty
   * @return the watch; close it to stop
   * @throws IllegalArgumentException when the name is invalid or the listener null
   * @throws IllegalStateException when {@value #MAX_WATCHES} watches run, or this instance is
   *     closed
   */
  LeaseWatch watch(String name, java.util.function.Consumer<Optional<Lease>> onChange);

  /** The most watches one {@link Heartbeats} runs at once. */
  int MAX_WATCHES = 1000;
}
