package dev.heartbeat.spi;

import java.time.Duration;

/**
 * One element of a batch claim renewal: extend {@code claim} to {@code ttl} from the store's now,
 * if it is still held and has not expired by the store's clock.
 *
 * @param claim the claim
 * @param ttl the time to live from the store's now
 */
public record ClaimRenewal(ClaimRef claim, Duration ttl) {
  /** Checks the components; see the class comment for what each must be. */
  public ClaimRenewal {
    Checks.notNull("claim", claim);
    Checks.positive("ttl", ttl);
  }
}
