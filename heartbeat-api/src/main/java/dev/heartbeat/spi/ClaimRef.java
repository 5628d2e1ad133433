package dev.heartbeat.spi;

/**
 * One claim on one task: the task and the token its worker holds. Every write of an attempt names
 * its claim and is a compare-and-set on it: it changes the task only while the task is
 * {@code IN_PROGRESS} under this worker and token.
 *
 * @param queue the queue's name
 * @param taskId the task's id
 * @param worker the worker's id
 * @param token the claim's fencing token
 */
public record ClaimRef(String queue, String taskId, String worker, long token) {
  /** Checks the components; see the class comment for what each must be. */
  public ClaimRef {
    Checks.id("queue", queue);
    Checks.id("taskId", taskId);
    Checks.id("worker", worker);
    Checks.atLeast("token", token, 1);
  }
}
