package dev.heartbeat.cli;

import dev.heartbeat.Lease;
import java.time.Duration;
import java.time.Instant;

/**
 * One lease as {@code status} shows it.
 *
 * @param lease the stored record
 * @param age store time since its holder acquired it
 * @param expiresIn store time until it expires (negative: expired)
 */
record LeaseView(Lease lease, Duration age, Duration expiresIn) {

  static LeaseView of(Lease lease, Instant now) {
    return new LeaseView(lease, Duration.between(lease.acquiredAt(), now),
        Duration.between(now, lease.expiresAt()));
  }

  /** Whether it is held: not expired by the store's clock. */
  boolean held() {
    return !expiresIn.isNegative() && !expiresIn.isZero();
  }

  String name() {
    return lease.name();
  }
}
