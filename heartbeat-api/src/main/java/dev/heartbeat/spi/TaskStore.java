package dev.heartbeat.spi;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where tasks live: the second SPI a store implements beside {@link HeartbeatStore}, reached
 * through {@link HeartbeatStore#tasks()}. As for leases, the store only compares, sets and reads;
 * the engine holds the policy (timeouts, backoff, limits), except where an atomic step needs it:
 * a claim that takes over an expired claim applies {@link TaskRules#afterLost}.
 *
 * <h2>Guarantees every store gives (proved by {@code heartbeat-tck}'s task contract)</h2>
 * <ul>
 *   <li>Every write is atomic with respect to every other client of the same store.</li>
 *   <li>A claim's token is greater than any token ever issued for that task.</li>
 *   <li>At most one live claim per task: a task is claimed only from {@code INBOX} when due, or
 *       from {@code IN_PROGRESS} when its claim expired by the store's clock.</li>
 *   <li>Every write after a claim ({@link #progress}, {@link #end}, {@link #renewClaims}) is a
 *       compare-and-set on the claim: refused (and the task untouched) when the task is not
 *       {@code IN_PROGRESS} under that worker and token, or its claim expired.</li>
 *   <li>A final state never changes, but by {@link #retry} of a {@code BLOCKED} task.</li>
 *   <li>Every submitted task is in exactly one state; nothing is lost.</li>
 *   <li>A task record that cannot be read is reported through {@link HeartbeatStore#problems()}
 *       and skipped.</li>
 * </ul>
 */
public interface TaskStore {
  /**
   * Submits a task to {@code INBOX}, due now. Idempotent by id: when the queue holds a task of
   * that id, it is returned unchanged.
   *
   * @param queue the queue's name
   * @param spec the task
   * @return the task as stored
   * @throws HeartbeatStoreException when the store fails
   */
  TaskView submit(String queue, TaskSpec spec);

  /**
   * Word that a queue may have a task to claim, from a store that can push it. Owned by the
   * store: the same object on every call, closed with the store.
   *
   * @return empty (the default) when the store cannot push; workers then poll
   */
  default Optional<TaskSignals> signals() {
    return Optional.empty();
  }

  /**
   * Claims up to {@code max} tasks for one worker incarnation, oldest due first: {@code INBOX}
   * tasks due by the store's clock, and {@code IN_PROGRESS} tasks whose claim expired (their
   * running attempt is ended {@link AttemptOutcome#WORKER_LOST} first, and
   * {@link TaskRules#afterLost} decides whether the task is claimable or {@code BLOCKED}; one whose
   * cancel was requested becomes {@code CANCELLED} instead). Each
   * claimed task gets a fresh token, a claim expiring {@code ttl} after the store's now, and a new
   * running attempt record.
   *
   * @param queue the queue's name
   * @param worker the worker's id
   * @param incarnation the worker's incarnation
   * @param max the most tasks to claim, at least 1
   * @param ttl the claim's time to live
   * @return the claims made, possibly none
   * @throws HeartbeatStoreException when the store fails
   */
  List<TaskClaim> claim(String queue, String worker, String incarnation, int max, Duration ttl);

  /**
   * Renews many claims in one call; each is a compare-and-set on its claim.
   *
   * @param renewals the claims to renew
   * @return one answer per renewal, in order
   * @throws HeartbeatStoreException when the store fails
   */
  List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals);

  /**
   * Records progress of a running attempt, and a checkpoint when given; a compare-and-set on the
   * claim.
   *
   * @param claim the claim
   * @param progress the progress text
   * @param checkpoint the checkpoint to keep for the next attempt, or empty to keep the last one
   * @return false when fenced out (the claim is gone): nothing changed
   * @throws HeartbeatStoreException when the store fails
   */
  boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint);

  /**
   * Ends a running attempt as {@code end} says, in one compare-and-set on the claim: the attempt
   * record gets its end time, outcome and error; the task moves to {@code end.next()} (for
   * {@code INBOX}, due {@code end.retryIn()} after the store's now; its failure count grows by one
   * when the outcome {@linkplain AttemptOutcome#isFailure() is a failure}). A task whose cancel
   * was requested does not go back to {@code INBOX}: it becomes {@code CANCELLED}, so that a
   * cancel asked after the last renewal is not lost.
   *
   * @param claim the claim
   * @param end how the attempt ended and what the task becomes
   * @return false when fenced out (the claim is gone): nothing changed
   * @throws HeartbeatStoreException when the store fails
   */
  boolean end(ClaimRef claim, AttemptEnd end);

  /**
   * Ends many attempts in one call, each as {@link #end} would and each on its own claim: one that
   * is fenced out answers false and changes nothing, the others are written all the same. This is
   * the worker's group commit: a store that can write the batch in one transaction should, so that
   * the ends of a worker's attempts that finish together cost one commit. The default ends them
   * one by one.
   *
   * <p>On an exception none, some or all of the ends may have been written: each is a
   * compare-and-set on its claim, so the caller treats every one of them as unknown, as it would a
   * single {@link #end} whose answer was lost.
   *
   * @param ends the ends, at most one per claim
   * @return one answer per end, in the order of {@code ends}: true when written, false when
   *     fenced out
   * @throws HeartbeatStoreException when the store fails
   */
  default List<Boolean> endAll(List<ClaimEnd> ends) {
    List<Boolean> answers = new ArrayList<>(ends.size());
    for (ClaimEnd e : ends) {
      answers.add(end(e.claim(), e.end()));
    }
    return answers;
  }

  /**
   * Reads one task.
   *
   * @param queue the queue's name
   * @param id the task's id
   * @return the task, or empty when there is none (or it cannot be read: reported)
   * @throws HeartbeatStoreException when the store fails
   */
  Optional<TaskView> read(String queue, String id);

  /**
   * Lists the tasks in {@code state}, oldest first (by creation, then id), at most {@code limit}.
   *
   * @param queue the queue's name
   * @param state the state
   * @param limit the most to return, at least 1
   * @return the tasks
   * @throws HeartbeatStoreException when the store fails
   */
  List<TaskView> list(String queue, TaskState state, int limit);

  /**
   * Counts the tasks per state.
   *
   * @param queue the queue's name
   * @return the counts
   * @throws HeartbeatStoreException when the store fails
   */
  TaskCounts counts(String queue);

  /**
   * Cancels a task: {@code INBOX} becomes {@code CANCELLED} at once; {@code IN_PROGRESS} gets its
   * cancel requested (answered on the next renewal of its claim); {@code IN_PROGRESS} whose claim
   * expired (nobody could hear the request) becomes {@code CANCELLED} at once, its attempt ended
   * {@link AttemptOutcome#WORKER_LOST}.
   *
   * @param queue the queue's name
   * @param id the task's id
   * @return the task as stored after it, or empty when there is none or it is final
   * @throws HeartbeatStoreException when the store fails
   */
  Optional<TaskView> cancel(String queue, String id);

  /**
   * Puts a {@code BLOCKED} task back in {@code INBOX}, due now, its failure and lost counts reset.
   *
   * @param queue the queue's name
   * @param id the task's id
   * @return the task as stored after it, or empty when there is none or it is not blocked
   * @throws HeartbeatStoreException when the store fails
   */
  Optional<TaskView> retry(String queue, String id);

  /**
   * Deletes final tasks of the queue last updated before {@code before} (store clock), at most
   * {@code limit}; their tokens stay reserved should the id be submitted again.
   *
   * @param queue the queue's name
   * @param before the instant of the store's clock
   * @param limit the most to delete, at least 1
   * @return how many were deleted
   * @throws HeartbeatStoreException when the store fails
   */
  int prune(String queue, Instant before, int limit);
}
