package dev.heartbeat;

/**
 * The work of a {@link TaskWorker}: runs one attempt at a task on its own virtual thread, never on
 * the ticker, so a blocked handler never stops beats.
 *
 * <p>Return {@link TaskResult#done} when the task is done, {@link TaskResult#blocked} when
 * retrying cannot help; throw to fail the attempt (retried while attempts remain). Stop soon when
 * interrupted: the attempt has ended ({@link TaskContext#stopReason()}), and whatever it returns
 * then is not recorded.
 */
@FunctionalInterface
public interface TaskHandler {
  /**
   * Runs one attempt.
   *
   * @param context the attempt's task, token, checkpoint and progress
   * @return done or blocked
   * @throws Exception to fail the attempt
   */
  TaskResult run(TaskContext context) throws Exception;
}
