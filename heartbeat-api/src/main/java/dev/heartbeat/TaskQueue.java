package dev.heartbeat;

import java.util.List;
import java.util.Optional;

/**
 * A named queue of tasks in the store, from {@link Heartbeats#tasks(String)}. Every call is one
 * store call, made on the caller's thread and bounded by the call timeout.
 */
public interface TaskQueue {
  /**
   * The queue's name.
   *
   * @return the queue's name
   */
  String name();

  /**
   * Submits a task to the {@link TaskState#INBOX}, due now. Idempotent by id: when the queue holds
   * a task of that id already, in whatever state, that task is returned as it is and nothing
   * changes (its payload and policy are not replaced).
   *
   * @param spec the task
   * @return the task as stored
   * @throws HeartbeatStoreException when the store fails
   */
  TaskView submit(TaskSpec spec);

  /**
   * Reads one task with its attempt history.
   *
   * @param id the task's id
   * @return the task, or empty when the queue has none of that id
   * @throws HeartbeatStoreException when the store fails
   */
  Optional<TaskView> task(String id);

  /**
   * Lists the tasks in {@code state}, oldest first, at most {@code limit}.
   *
   * @param state the state
   * @param limit the most to return, at least 1 and at most 10 000
   * @return the tasks
   * @throws IllegalArgumentException when {@code limit} is out of range, naming it and its value
   * @throws HeartbeatStoreException when the store fails
   */
  List<TaskView> tasks(TaskState state, int limit);

  /**
   * Lists the tasks in {@code state}, oldest first, at most 1000.
   *
   * @param state the state
   * @return the tasks
   * @throws HeartbeatStoreException when the store fails
   */
  default List<TaskView> tasks(TaskState state) {
    return tasks(state, 1000);
  }

  /**
   * How many tasks are in each state.
   *
   * @return the counts
   * @throws HeartbeatStoreException when the store fails
   */
  TaskCounts counts();

  /**
   * Puts a {@link TaskState#BLOCKED} task back in the {@link TaskState#INBOX}, due now, with its
   * failure and lost counts reset (its attempt history is kept): an operator restarting a failed
   * task.
   *
   * @param id the task's id
   * @return the task as stored, or empty when there is no such task or it is not blocked
   * @throws HeartbeatStoreException when the store fails
   */
  Optional<TaskView> retry(String id);

  /**
   * Cancels a task: an {@link TaskState#INBOX} task becomes {@link TaskState#CANCELLED} at once;
   * for an {@link TaskState#IN_PROGRESS} one the cancel is requested, its worker learns it at its
   * next claim renewal, interrupts the handler and records the attempt as
   * {@link AttemptOutcome#CANCELLED}.
   *
   * @param id the task's id
   * @return the task as stored, or empty when there is no such task or it is final already
   * @throws HeartbeatStoreException when the store fails
   */
  Optional<TaskView> cancel(String id);
}
