package dev.heartbeat.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * The store's answer to one {@link ClaimRenewal}.
 *
 * @param expiresAt the claim's new expiry by the store's clock, or empty when the claim is lost
 *     (expired, claimed by another worker, or the task left {@code IN_PROGRESS})
 * @param cancelRequested whether a cancel of the task was requested (only while held)
 */
public record ClaimAnswer(Optional<Instant> expiresAt, boolean cancelRequested) {
  /** The answer for a lost claim. */
  public static final ClaimAnswer LOST = new ClaimAnswer(Optional.empty(), false);

  /** Checks the components; see the class comment for what each must be. */
  public ClaimAnswer {
    Checks.notNull("expiresAt", expiresAt);
    if (expiresAt.isEmpty() && cancelRequested) {
      throw new IllegalArgumentException("a lost claim carries no cancel request");
    }
  }

  /**
   * Whether the claim is still held.
   *
   * @return true when renewed
   */
  public boolean held() {
    return expiresAt.isPresent();
  }
}
