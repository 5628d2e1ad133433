package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A task as the store recorded it. Instants are on the store's clock; compare them with each
 * other, not with the local clock.
 *
 * @param queue the queue's name
 * @param spec the task's id, payload and policy, as submitted
 * @param state where the task is
 * @param token the last fencing token issued for the task (0 before its first claim); every claim
 *     gets one greater than any before
 * @param worker the worker holding the claim, while {@link TaskState#IN_PROGRESS}
 * @param claimExpiresAt when the claim expires by the store's clock, while
 *     {@link TaskState#IN_PROGRESS}
 * @param dueAt when an {@link TaskState#INBOX} task may be claimed (its submission, or its retry
 *     time); for other states the last such time
 * @param failures attempts that failed ({@link AttemptOutcome#isFailure()}) since the task was
 *     submitted or last {@linkplain TaskQueue#retry retried}
 * @param lost attempts whose worker was lost since the task was submitted or last retried
 * @param progress the last progress text an attempt reported
 * @param checkpoint the last checkpoint an attempt saved, handed to the next attempt
 * @param output the output of a {@link TaskState#DONE} task, when its handler gave one
 * @param reason why a task is {@link TaskState#BLOCKED} or {@link TaskState#CANCELLED}
 * @param cancelRequested whether {@link TaskQueue#cancel} asked a running attempt to stop
 * @param createdAt when the task was submitted
 * @param updatedAt when the task record last changed
 * @param attempts every attempt, oldest first (at most the last {@value #MAX_ATTEMPTS_KEPT})
 */
public record TaskView(String queue, TaskSpec spec, TaskState state, long token,
    Optional<String> worker, Optional<Instant> claimExpiresAt, Instant dueAt, int failures,
    int lost, Optional<String> progress, Optional<String> checkpoint, Optional<String> output,
    Optional<String> reason, boolean cancelRequested, Instant createdAt, Instant updatedAt,
    List<Attempt> attempts) {
  /** The most attempts a task record keeps; older ones are dropped first. */
  public static final int MAX_ATTEMPTS_KEPT = 100;

  /** Checks the components; see the class comment for what each must be. */
  public TaskView {
    Checks.id("queue", queue);
    Checks.notNull("spec", spec);
    Checks.notNull("state", state);
    Checks.atLeast("token", token, 0);
    Checks.notNull("worker", worker);
    Checks.notNull("claimExpiresAt", claimExpiresAt);
    Checks.notNull("dueAt", dueAt);
    Checks.atLeast("failures", failures, 0);
    Checks.atLeast("lost", lost, 0);
    Checks.notNull("progress", progress);
    Checks.notNull("checkpoint", checkpoint);
    Checks.notNull("output", output);
    Checks.notNull("reason", reason);
    Checks.notNull("createdAt", createdAt);
    Checks.notNull("updatedAt", updatedAt);
    attempts = List.copyOf(Checks.notNull("attempts", attempts));
    if ((state == TaskState.IN_PROGRESS) != worker.isPresent()
        || worker.isPresent() != claimExpiresAt.isPresent()) {
      throw new IllegalArgumentException("worker and claimExpiresAt are set exactly while "
          + "IN_PROGRESS; got state " + state + ", worker " + worker + ", claimExpiresAt "
          + claimExpiresAt);
    }
  }

  /**
   * The task's id in its queue.
   *
   * @return {@code spec().id()}
   */
  public String id() {
    return spec.id();
  }

  /**
   * Whether the claim has expired at {@code storeNow}, an instant of the store's clock: an
   * {@link TaskState#IN_PROGRESS} task whose claim expired is claimable again.
   *
   * @param storeNow the store's clock
   * @return true when in progress and its claim expired at {@code storeNow}
   */
  public boolean claimExpiredAt(Instant storeNow) {
    return claimExpiresAt.map(at -> !storeNow.isBefore(at)).orElse(false);
  }
}
