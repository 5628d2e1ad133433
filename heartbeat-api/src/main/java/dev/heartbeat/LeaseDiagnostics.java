package dev.heartbeat;

import java.time.Duration;
import java.time.Instant;

/**
 * An immutable snapshot of one election.
 *
 * @param name the lease
 * @param holderId this candidate
 * @param leader whether it holds the lease and its local validity has not passed
 * @param lease the held lease, or {@code null}
 * @param calls outcomes of acquisitions and renewals since start
 * @param timesElected how often this candidate was elected
 * @param leaseAge how long the current lease has been held (local monotonic clock), or
 *     {@link Duration#ZERO} when not leader
 * @param validFor how much local validity remains, or {@link Duration#ZERO}
 * @param nextAttemptDue when the next renewal or acquisition attempt is due (local wall clock)
 * @param lastWriteVerified whether the store returned the lease written by the last call (same
 *     holder and token)
 * @param ticker the punctuality of the ticker that drives it
 * @param takenAt when this snapshot was taken (local wall clock)
 */
public record LeaseDiagnostics(String name, String holderId, boolean leader, Lease lease,
    CallStats calls, long timesElected, Duration leaseAge, Duration validFor,
    Instant nextAttemptDue, boolean lastWriteVerified, TickerStats ticker, Instant takenAt) {}
