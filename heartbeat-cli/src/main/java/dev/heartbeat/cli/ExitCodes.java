package dev.heartbeat.cli;

/** The exit codes of every command, documented in {@code heartbeat --help}. */
final class ExitCodes {
  /** Done; for {@code status}: every agent alive (or left on purpose) and every lease held. */
  static final int OK = 0;
  /** {@code status}: something is degraded; {@code demo}: the failover was not observed. */
  static final int DEGRADED = 1;
  /** The store cannot be reached or failed. */
  static final int UNREACHABLE = 2;
  /**
   * {@code beat}, {@code forget}: the agent is unknown to the store ({@code beat}: or has left);
   * {@code tasks show}, {@code retry}, {@code cancel}: the task is unknown to the queue.
   */
  static final int UNKNOWN_AGENT = 3;
  /**
   * The store does not exist (nothing was created), or {@code status}: it exists but holds no
   * agent and no lease, so a typo in a path or database name never looks healthy.
   */
  static final int MISSING = 4;
  /**
   * {@code tasks retry}: the task is not BLOCKED; {@code tasks cancel}: it is final. Nothing
   * changed.
   */
  static final int NOT_ALLOWED = 5;
  /** Bad arguments (EX_USAGE). */
  static final int USAGE = 64;
  /** An unexpected internal error (EX_SOFTWARE). */
  static final int INTERNAL = 70;

  private ExitCodes() {}
}
