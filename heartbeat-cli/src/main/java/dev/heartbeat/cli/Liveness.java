package dev.heartbeat.cli;

/** What the command says about an agent, from its stored record. */
enum Liveness {
  /** Beating on time (and making progress when working). */
  ALIVE,
  /** Beats are late. */
  SUSPECT,
  /** Beats stopped long ago. */
  DEAD,
  /** Beats on time, but no progress for too long while working. */
  STALLED,
  /** Left on purpose. */
  LEFT;

  /** Whether this state counts as healthy for the exit code of {@code status}. */
  boolean healthy() {
    return this == ALIVE || this == LEFT;
  }
}
