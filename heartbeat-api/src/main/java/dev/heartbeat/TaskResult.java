package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.util.Optional;

/**
 * What a {@link TaskHandler} returns: the task is done (with an optional output), or blocked (no
 * more retries, with a reason). A handler that throws fails the attempt instead, and the task is
 * retried while attempts remain.
 *
 * @param blocked whether the task is blocked rather than done
 * @param text the output when done (may be absent), the reason when blocked (never absent)
 */
public record TaskResult(boolean blocked, Optional<String> text) {
  /** Checks the components; see the class comment for what each must be. */
  public TaskResult {
    Checks.notNull("text", text);
    text.ifPresent(t -> Checks.payload("output", t, TaskSpec.MAX_PAYLOAD_LENGTH));
    if (blocked && text.isEmpty()) {
      throw new IllegalArgumentException("a blocked result needs a reason");
    }
  }

  /**
   * The task is done, with no output.
   *
   * @return a done result
   */
  public static TaskResult done() {
    return new TaskResult(false, Optional.empty());
  }

  /**
   * The task is done, with {@code output} kept on the task (at most
   * {@value TaskSpec#MAX_PAYLOAD_LENGTH} characters).
   *
   * @param output the output, such as JSON
   * @return a done result
   */
  public static TaskResult done(String output) {
    return new TaskResult(false, Optional.of(Checks.notNull("output", output)));
  }

  /**
   * The task cannot succeed by retrying: it becomes {@link TaskState#BLOCKED} with {@code reason}.
   *
   * @param reason why, for the operator (at most {@value Checks#MAX_PROGRESS_LENGTH} characters)
   * @return a blocked result
   */
  public static TaskResult blocked(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason must not be blank, got '" + reason + "'");
    }
    return new TaskResult(true, Optional.of(Checks.text("reason", reason)));
  }
}
