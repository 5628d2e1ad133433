package dev.heartbeat.spi;

import java.time.Duration;

/**
 * One element of a batch renewal: renew {@code name} for {@code ttl} if it is still held by
 * {@code holder} with {@code token} and has not expired by the store's clock.
 */
public record LeaseRenewal(String name, String holder, long token, Duration ttl) {
  public LeaseRenewal {
    Checks.id("name", name);
    Checks.id("holder", holder);
    Checks.atLeast("token", token, 1);
    Checks.positive("ttl", ttl);
  }
}
