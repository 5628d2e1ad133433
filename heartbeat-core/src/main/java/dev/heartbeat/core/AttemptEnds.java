package dev.heartbeat.core;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.TaskRules;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The policy for how an attempt ends, once, in core: what the task becomes after a result, a
 * failure (retry with {@link TaskRules#retryDelay} backoff and jitter, or {@code BLOCKED} once
 * the failures reach {@code maxAttempts}), a cancel or a release. Errors are cut to the limits
 * stores keep.
 */
final class AttemptEnds {
  private AttemptEnds() {}

  static AttemptEnd done(TaskResult result) {
    if (result.blocked()) {
      return new AttemptEnd(AttemptOutcome.BLOCKED, Optional.empty(), Optional.empty(),
          Optional.empty(), TaskState.BLOCKED, Duration.ZERO, result.text());
    }
    return new AttemptEnd(AttemptOutcome.DONE, Optional.empty(), Optional.empty(),
        Optional.empty(), TaskState.DONE, Duration.ZERO, result.text());
  }

  /** A handler that threw {@code error}. */
  static AttemptEnd failed(TaskView task, Throwable error) {
    String message = error.getMessage() == null ? error.getClass().getName()
        : error.getClass().getName() + ": " + error.getMessage();
    return failure(task, AttemptOutcome.FAILED, Optional.of(error.getClass().getName()),
        text(message), Optional.of(stack(error)));
  }

  /** An attempt stopped by its own timeout ({@code TIMED_OUT} or {@code STALLED}). */
  static AttemptEnd stopped(TaskView task, AttemptOutcome outcome) {
    String message = outcome == AttemptOutcome.TIMED_OUT
        ? "timed out after " + task.spec().attemptTimeout()
        : "stalled: no progress for " + task.spec().progressTimeout();
    return failure(task, outcome, Optional.empty(), message, Optional.empty());
  }

  static AttemptEnd cancelled() {
    return new AttemptEnd(AttemptOutcome.CANCELLED, Optional.empty(), Optional.empty(),
        Optional.empty(), TaskState.CANCELLED, Duration.ZERO, Optional.of("cancel requested"));
  }

  /** Given back by a closing worker: due again now, not a failure. */
  static AttemptEnd released() {
    return new AttemptEnd(AttemptOutcome.RELEASED, Optional.empty(),
        Optional.of("released by its closing worker"), Optional.empty(), TaskState.INBOX,
        Duration.ZERO, Optional.empty());
  }

  private static AttemptEnd failure(TaskView task, AttemptOutcome outcome,
      Optional<String> errorClass, String message, Optional<String> stack) {
    int failures = task.failures() + 1;
    if (failures >= task.spec().maxAttempts()) {
      String reason = text("failed " + failures + " attempts: " + message);
      return new AttemptEnd(outcome, errorClass, Optional.of(message), stack, TaskState.BLOCKED,
          Duration.ZERO, Optional.of(reason));
    }
    Duration delay = TaskRules.retryDelay(task.spec(), failures,
        ThreadLocalRandom.current().nextDouble());
    return new AttemptEnd(outcome, errorClass, Optional.of(message), stack, TaskState.INBOX,
        delay, Optional.empty());
  }

  /** {@code s} made fit for a store's one-line text: control characters become spaces, cut. */
  static String text(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), Checks.MAX_PROGRESS_LENGTH));
    for (int i = 0; i < s.length() && b.length() < Checks.MAX_PROGRESS_LENGTH; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) && c != '\t' ? ' ' : c);
    }
    if (b.length() > 0 && Character.isHighSurrogate(b.charAt(b.length() - 1))) {
      b.setLength(b.length() - 1);
    }
    return b.toString();
  }

  /** The stack trace of {@code error}, cut to {@link Attempt#MAX_STACK_LENGTH}. */
  static String stack(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    String s = out.toString().replace('\0', ' ');
    if (s.length() <= Attempt.MAX_STACK_LENGTH) {
      return s;
    }
    int cut = Attempt.MAX_STACK_LENGTH;
    if (Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--;
    }
    return s.substring(0, cut);
  }
}
