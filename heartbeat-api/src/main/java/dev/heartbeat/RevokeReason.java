package dev.heartbeat;

/** Why a leader stopped being leader. */
public enum RevokeReason {
  /**
   * No renewal succeeded within the renew deadline (store slow, unreachable or hanging): the
   * holder stepped down by itself, before the store could give the lease to anyone else.
   */
  DEADLINE_PASSED,
  /** The store answered that the lease is no longer held with this token. */
  LOST,
  /** The leadership was closed (or the whole {@link Heartbeats}); the lease was released. */
  RESIGNED
}
