package dev.heartbeat;

/**
 * Where a task is. {@link #DONE}, {@link #BLOCKED} and {@link #CANCELLED} are final, except that
 * {@link TaskQueue#retry} puts a {@code BLOCKED} task back in the {@link #INBOX}.
 */
public enum TaskState {
  /** Waiting to be claimed: ready now, or at its due time (a retry that backs off). */
  INBOX,
  /**
   * Claimed by one worker incarnation with a fencing token, until the claim expires by the
   * store's clock; an expired claim makes the task claimable again (its attempt ends as
   * {@link AttemptOutcome#WORKER_LOST}).
   */
  IN_PROGRESS,
  /** Finished: the handler returned {@link TaskResult#done}. Final. */
  DONE,
  /**
   * Stopped with a reason: out of attempts, lost by its workers too often (a poison task), or the
   * handler returned {@link TaskResult#blocked}. Final, but for {@link TaskQueue#retry}.
   */
  BLOCKED,
  /** Cancelled by {@link TaskQueue#cancel}. Final. */
  CANCELLED;

  /**
   * Whether nothing but {@link TaskQueue#retry} (for {@code BLOCKED}) moves a task on from here.
   *
   * @return true for {@code DONE}, {@code BLOCKED} and {@code CANCELLED}
   */
  public boolean isFinal() {
    return this == DONE || this == BLOCKED || this == CANCELLED;
  }
}
