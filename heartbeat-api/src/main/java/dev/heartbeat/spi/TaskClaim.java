package dev.heartbeat.spi;

import dev.heartbeat.TaskView;

/**
 * A task a worker claimed: the task as stored after the claim ({@code IN_PROGRESS} under the
 * worker, its attempt record started) and the claim.
 *
 * @param task the task after the claim
 * @param claim the claim, whose token is {@code task.token()}
 */
public record TaskClaim(TaskView task, ClaimRef claim) {
  /** Checks the components; see the class comment for what each must be. */
  public TaskClaim {
    Checks.notNull("task", task);
    Checks.notNull("claim", claim);
    if (task.token() != claim.token() || !task.id().equals(claim.taskId())) {
      throw new IllegalArgumentException("the claim " + claim + " is not the task's ("
          + task.id() + ", token " + task.token() + ")");
    }
  }
}
