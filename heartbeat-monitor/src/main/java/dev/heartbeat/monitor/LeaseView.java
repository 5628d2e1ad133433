package dev.heartbeat.monitor;

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
public record LeaseView(Lease lease, Duration age, Duration expiresIn) {

  /**
   * The lease as seen at {@code now}.
   *
   * @param lease the stored record
   * @param now the store's clock
   * @return the view
   */
  public static LeaseView of(Lease lease, Instant now) {
    return new LeaseView(lease, Duration.between(lease.acquiredAt(), now),
        Duration.between(now, lease.expiresAt()));
  }

  /**
   * Whether it is held: not expired by the store's clock.
   *
   * @return whether it is held
   */
  public boolean held() {
    return !expiresIn.isNegative() && !expiresIn.isZero();
  }

  /**
   * The lease's name.
   *
   * @return the name
   */
  public String name() {
    return lease.name();
  }
}
