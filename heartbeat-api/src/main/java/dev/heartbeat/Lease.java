package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.time.Instant;

/**
 * A lease as the store recorded it. Instants are on the store's clock; compare them with each
 * other, not with the local clock.
 *
 * @param name the lease
 * @param holder who holds it
 * @param token the fencing token: greater than every token issued before for this name; pass it
 *     to downstream systems so they can refuse writes from an older holder
 * @param acquiredAt when this holder acquired it
 * @param renewedAt when it was last renewed (equals {@code acquiredAt} before the first renewal)
 * @param expiresAt when the store will consider it free
 * @param transitions how many times the lease has changed hands, this acquisition included
 */
public record Lease(String name, String holder, long token, Instant acquiredAt,
    Instant renewedAt, Instant expiresAt, long transitions) {
  /** Checks the components; see the class comment for what each must be. */
  public Lease {
    Checks.id("name", name);
    Checks.id("holder", holder);
    Checks.atLeast("token", token, 1);
    Checks.notNull("acquiredAt", acquiredAt);
    Checks.notNull("renewedAt", renewedAt);
    Checks.notNull("expiresAt", expiresAt);
  }

  /**
   * The time-to-live of the last acquisition or renewal.
   *
   * @return the time-to-live of the last acquisition or renewal
   */
  public Duration ttl() {
    return Duration.between(renewedAt, expiresAt);
  }

  /**
   * Whether the lease has expired at {@code storeNow}, an instant of the store's clock.
   *
   * @param storeNow the store's clock
   * @return whether the lease has expired at {@code storeNow}, an instant of the store's clock
   */
  public boolean expiredAt(Instant storeNow) {
    return !storeNow.isBefore(expiresAt);
  }
}
