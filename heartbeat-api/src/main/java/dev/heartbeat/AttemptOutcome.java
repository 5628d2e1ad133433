package dev.heartbeat;

/** How one attempt at a task ended. */
public enum AttemptOutcome {
  /** The handler returned {@link TaskResult#done}: the task is {@link TaskState#DONE}. */
  DONE,
  /** The handler threw: counted against {@link TaskSpec#maxAttempts()}. */
  FAILED,
  /** The handler ran past {@link TaskSpec#attemptTimeout()} and was interrupted: a failure. */
  TIMED_OUT,
  /**
   * The handler reported no progress for {@link TaskSpec#progressTimeout()} (its worker alive,
   * its task not) and was interrupted: a failure.
   */
  STALLED,
  /**
   * The claim expired by the store's clock before the attempt ended: its worker died, froze or was
   * cut off. Counted apart from failures, against {@link TaskSpec#maxLost()}.
   */
  WORKER_LOST,
  /** The handler returned {@link TaskResult#blocked}: no more retries. */
  BLOCKED,
  /** {@link TaskQueue#cancel} reached the running attempt, which was interrupted. */
  CANCELLED,
  /**
   * The worker found its claim gone (another worker claimed the task after it expired) and
   * stopped; its late writes were refused. Recorded by the worker that learns it.
   */
  FENCED_OUT,
  /** The worker closed before the attempt ended and gave the task back; not a failure. */
  RELEASED;

  /**
   * Whether this outcome counts against {@link TaskSpec#maxAttempts()}.
   *
   * @return true for {@code FAILED}, {@code TIMED_OUT} and {@code STALLED}
   */
  public boolean isFailure() {
    return this == FAILED || this == TIMED_OUT || this == STALLED;
  }
}
