package dev.heartbeat.spi;

import java.time.Duration;

/**
 * One element of a batch renewal: renew {@code name} for {@code ttl} if it is still held by
 * {@code holder} with {@code token} and has not expired by the store's clock.
 *
 * @param holder the holder's id
 * @param name the name
 * @param token the fencing token
 * @param ttl the time to live
 */
public record LeaseRenewal(String name, String holder, long token, Duration ttl) {
  /** Checks the components; see the class comment for what each must be. */
  public LeaseRenewal {
    Checks.id("name", name);
    Checks.id("holder", holder);
    Checks.atLeast("token", token, 1);
    Checks.positive("ttl", ttl);
  }
}
