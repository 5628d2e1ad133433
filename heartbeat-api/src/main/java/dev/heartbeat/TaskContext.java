package dev.heartbeat;

import java.time.Duration;
import java.util.Optional;

/**
 * What a {@link TaskHandler} gets for one attempt. The handler runs on its own virtual thread and
 * is interrupted when the attempt must stop (its timeout, no progress for its progress timeout, a
 * cancel, a lost claim, or its worker closing); {@link #stopReason()} then says why.
 */
public interface TaskContext {
  /**
   * The queue's name.
   *
   * @return the queue's name
   */
  String queue();

  /**
   * The task's id.
   *
   * @return the task's id
   */
  String taskId();

  /**
   * The task's payload, as submitted.
   *
   * @return the task's payload, as submitted
   */
  String payload();

  /**
   * This attempt's number: 1 for the first, counting every attempt whatever its outcome.
   *
   * @return this attempt's number
   */
  int attempt();

  /**
   * The claim's fencing token: greater than any issued before for this task. Pass it to the
   * systems this attempt writes to, so that they can refuse a write of an older attempt.
   *
   * @return the claim's fencing token
   */
  long token();

  /**
   * The last checkpoint an earlier attempt (or this one) saved.
   *
   * @return the last checkpoint, if any
   */
  Optional<String> checkpoint();

  /**
   * Reports progress: recorded on the task (a compare-and-set on {@link #token()}) and carried
   * by the worker's next heartbeat. Progress also resets the attempt's progress timeout. Returns
   * at once; the write is sent by the worker.
   *
   * @param text what is done, such as {@code "3/10"} (at most 1024 characters, no control
   *     characters)
   */
  void progress(String text);

  /**
   * Reports progress and saves a checkpoint for the next attempt, should this one not finish.
   *
   * @param text what is done (see {@link #progress(String)})
   * @param checkpoint what the next attempt needs to resume, such as JSON (at most
   *     {@value TaskSpec#MAX_PAYLOAD_LENGTH} characters, no NUL character)
   */
  void progress(String text, String checkpoint);

  /**
   * How long this attempt may still run before its attempt timeout, on the worker's monotonic
   * clock.
   *
   * @return the time left, zero or positive
   */
  Duration timeLeft();

  /**
   * Why the attempt must stop, once it must: {@link AttemptOutcome#TIMED_OUT},
   * {@link AttemptOutcome#STALLED}, {@link AttemptOutcome#CANCELLED},
   * {@link AttemptOutcome#FENCED_OUT} or {@link AttemptOutcome#RELEASED}.
   *
   * @return why the attempt must stop, or empty while it may go on
   */
  Optional<AttemptOutcome> stopReason();
}
