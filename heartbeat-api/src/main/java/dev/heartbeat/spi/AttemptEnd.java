package dev.heartbeat.spi;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import java.time.Duration;
import java.util.Optional;

/**
 * How the engine ends an attempt: its outcome and error, and what the task becomes. The engine
 * decides (policy lives in core); the store records it in one compare-and-set on the claim.
 *
 * @param outcome how the attempt ended
 * @param errorClass the error's class, when there was one
 * @param message the error's message or the reason, when there was one (at most
 *     {@value Checks#MAX_PROGRESS_LENGTH} characters; the engine cuts longer ones)
 * @param stackTrace the error's stack trace, at most {@value Attempt#MAX_STACK_LENGTH} characters
 * @param next what the task becomes: {@code DONE}, {@code INBOX} (a retry), {@code BLOCKED} or
 *     {@code CANCELLED}
 * @param retryIn for {@code INBOX}: how long after the store's now the task is due again
 * @param text for {@code DONE} the output, if any; for {@code BLOCKED} and {@code CANCELLED} the
 *     reason (required)
 */
public record AttemptEnd(AttemptOutcome outcome, Optional<String> errorClass,
    Optional<String> message, Optional<String> stackTrace, TaskState next, Duration retryIn,
    Optional<String> text) {
  /** Checks the components; see the class comment for what each must be. */
  public AttemptEnd {
    Checks.notNull("outcome", outcome);
    Checks.notNull("errorClass", errorClass);
    Checks.notNull("message", message);
    message.ifPresent(m -> Checks.text("message", m));
    Checks.notNull("stackTrace", stackTrace);
    stackTrace.ifPresent(s -> Checks.payload("stackTrace", s, Attempt.MAX_STACK_LENGTH));
    Checks.notNull("next", next);
    Checks.notNull("retryIn", retryIn);
    if (retryIn.isNegative()) {
      throw new IllegalArgumentException("retryIn must not be negative, got " + retryIn);
    }
    Checks.notNull("text", text);
    text.ifPresent(t -> Checks.payload("text", t, TaskSpec.MAX_PAYLOAD_LENGTH));
    if (next == TaskState.IN_PROGRESS) {
      throw new IllegalArgumentException("an attempt cannot end IN_PROGRESS");
    }
    if ((next == TaskState.BLOCKED || next == TaskState.CANCELLED) && text.isEmpty()) {
      throw new IllegalArgumentException("a task that ends " + next + " needs a reason");
    }
  }
}
