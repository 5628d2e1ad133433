package dev.heartbeat.tck;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.AttemptEnd;
import java.time.Duration;
import java.util.Optional;

/** The attempt ends the task kit writes, one per way an attempt ends. */
final class TaskEnds {
  private TaskEnds() {}

  static AttemptEnd done(String output) {
    return new AttemptEnd(AttemptOutcome.DONE, Optional.empty(), Optional.empty(),
        Optional.empty(), TaskState.DONE, Duration.ZERO, Optional.of(output));
  }

  static AttemptEnd failed(Duration retryIn) {
    return new AttemptEnd(AttemptOutcome.FAILED, Optional.of("java.io.IOException"),
        Optional.of("disk full"), Optional.of("java.io.IOException: disk full\n\tat x.y(Z.java:1)"),
        TaskState.INBOX, retryIn, Optional.empty());
  }

  static AttemptEnd failedFinally(String reason) {
    return new AttemptEnd(AttemptOutcome.FAILED, Optional.of("java.io.IOException"),
        Optional.of("disk full"), Optional.empty(), TaskState.BLOCKED, Duration.ZERO,
        Optional.of(reason));
  }

  static AttemptEnd blocked(String reason) {
    return new AttemptEnd(AttemptOutcome.BLOCKED, Optional.empty(), Optional.of(reason),
        Optional.empty(), TaskState.BLOCKED, Duration.ZERO, Optional.of(reason));
  }

  static AttemptEnd cancelled() {
    return new AttemptEnd(AttemptOutcome.CANCELLED, Optional.empty(), Optional.empty(),
        Optional.empty(), TaskState.CANCELLED, Duration.ZERO, Optional.of("cancel requested"));
  }

  static AttemptEnd released() {
    return new AttemptEnd(AttemptOutcome.RELEASED, Optional.empty(), Optional.empty(),
        Optional.empty(), TaskState.INBOX, Duration.ZERO, Optional.empty());
  }
}
