package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * One attempt at a task, as the store recorded it. Instants are on the store's clock.
 *
 * @param number 1 for the first attempt, counting every attempt whatever its outcome
 * @param worker the worker's id
 * @param incarnation the worker's incarnation (a restarted worker has a new one)
 * @param token the claim's fencing token
 * @param startedAt when the claim was made
 * @param endedAt when the attempt ended; empty while it runs
 * @param outcome how it ended; empty while it runs
 * @param errorClass the class of the error that ended it, when there was one
 * @param message the error's message, or the reason, when there was one
 * @param stackTrace the error's stack trace, cut to at most {@value #MAX_STACK_LENGTH}
 *     characters, when there was one
 */
public record Attempt(int number, String worker, String incarnation, long token,
    Instant startedAt, Optional<Instant> endedAt, Optional<AttemptOutcome> outcome,
    Optional<String> errorClass, Optional<String> message, Optional<String> stackTrace) {
  /** The most characters of a recorded stack trace. */
  public static final int MAX_STACK_LENGTH = 8192;

  /** Checks the components; see the class comment for what each must be. */
  public Attempt {
    Checks.atLeast("number", number, 1);
    Checks.id("worker", worker);
    Checks.id("incarnation", incarnation);
    Checks.atLeast("token", token, 1);
    Checks.notNull("startedAt", startedAt);
    Checks.notNull("endedAt", endedAt);
    Checks.notNull("outcome", outcome);
    Checks.notNull("errorClass", errorClass);
    Checks.notNull("message", message);
    Checks.notNull("stackTrace", stackTrace);
    if (endedAt.isPresent() != outcome.isPresent()) {
      throw new IllegalArgumentException("an attempt has both endedAt and outcome, or neither; got "
          + endedAt + " and " + outcome);
    }
  }

  /**
   * Whether the attempt still runs (as far as the store knows).
   *
   * @return true while it has no outcome
   */
  public boolean isRunning() {
    return outcome.isEmpty();
  }
}
