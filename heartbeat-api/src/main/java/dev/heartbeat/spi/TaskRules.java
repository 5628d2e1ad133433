package dev.heartbeat.spi;

import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskView;
import java.time.Duration;
import java.util.Optional;

/** The task rules that every store applies the same way, and the retry backoff of the engine. */
public final class TaskRules {
  private TaskRules() {}

  /**
   * What becomes of a task whose worker was lost (its claim expired): once its lost count,
   * this loss included, reaches {@link TaskSpec#maxLost()}, it is a poison task and is
   * {@code BLOCKED} with the returned reason; otherwise it may be claimed again at once.
   *
   * @param task the task as stored, {@code IN_PROGRESS} with an expired claim
   * @return the reason to block it, or empty when it may be claimed again
   */
  public static Optional<String> afterLost(TaskView task) {
    Checks.notNull("task", task);
    int lost = task.lost() + 1;
    if (lost >= task.spec().maxLost()) {
      return Optional.of("poison task: its worker was lost " + lost + " times (maxLost "
          + task.spec().maxLost() + ")");
    }
    return Optional.empty();
  }

  /**
   * The delay before the retry that follows the {@code failures}-th failed attempt: the base
   * {@code retryDelay * 2^(failures-1)}, at most {@code maxRetryDelay}, plus up to half of it
   * again as jitter, so never earlier than the base delay and never in lockstep with other tasks.
   *
   * @param spec the task's policy
   * @param failures the failed attempts so far, at least 1
   * @param random a number in {@code [0, 1)}, such as {@code ThreadLocalRandom.current()
   *     .nextDouble()}
   * @return the delay
   */
  public static Duration retryDelay(TaskSpec spec, int failures, double random) {
    Checks.notNull("spec", spec);
    Checks.atLeast("failures", failures, 1);
    if (!(random >= 0 && random < 1)) {
      throw new IllegalArgumentException("random must be in [0, 1), got " + random);
    }
    long baseNanos = spec.retryDelay().toNanos();
    long maxNanos = spec.maxRetryDelay().toNanos();
    long delay = baseNanos;
    for (int i = 1; i < failures && delay < maxNanos; i++) {
      delay = delay > maxNanos / 2 ? maxNanos : delay * 2;
    }
    delay = Math.min(delay, maxNanos);
    return Duration.ofNanos(delay + (long) (delay * 0.5 * random));
  }
}
