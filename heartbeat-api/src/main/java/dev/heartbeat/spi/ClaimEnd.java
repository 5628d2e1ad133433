package dev.heartbeat.spi;

/**
 * One element of a batch of attempt ends ({@link TaskStore#endAll}): end the attempt of
 * {@code claim} as {@code end} says, if the claim is still held.
 *
 * @param claim the claim
 * @param end how the attempt ended and what the task becomes
 */
public record ClaimEnd(ClaimRef claim, AttemptEnd end) {
  /** Checks the components; see the class comment for what each must be. */
  public ClaimEnd {
    Checks.notNull("claim", claim);
    Checks.notNull("end", end);
  }
}
