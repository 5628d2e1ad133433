package dev.heartbeat.spi;

import java.time.Duration;

/**
 * Lease rules that every store applies the same way; kept here once so that no store re-derives
 * them (the Redis store's Lua scripts follow the same rule, and the kit checks every store).
 */
public final class LeaseRules {
  private LeaseRules() {}

  /**
   * How long after a store noticed that a lease record is unreadable the lease still counts as
   * held: the longest TTL ever granted for the name, or the acquirer's {@code requested} TTL when
   * that is longer. The holder's own TTL bounds the wait, not the acquirer's: a 5 s candidate must
   * not take a damaged lease from a 60 s holder that may act for 40 s more.
   *
   * @param requested the TTL the acquirer asks for
   * @param longestGranted the longest TTL granted for this name so far, or {@code null} (or zero)
   *     when the store has no record of one
   * @return how long after a store noticed that a lease record is unreadable the lease still counts
   *     as held: the longest TTL ever granted for the name, or the acquirer's {@code requested} TTL
   *     when that is longer
   */
  public static Duration unreadableHold(Duration requested, Duration longestGranted) {
    Checks.positive("requested", requested);
    if (longestGranted == null || longestGranted.compareTo(requested) <= 0) {
      return requested;
    }
    return longestGranted;
  }
}
