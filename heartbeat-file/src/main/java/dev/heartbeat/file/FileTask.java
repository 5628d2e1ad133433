package dev.heartbeat.file;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Optional;

/**
 * One task of the file store while an operation changes it under its queue's lock: the fields of
 * a {@link TaskView} and the bounded attempt history, read from its file and written back whole.
 * Every change goes through a method that leaves it consistent (worker and claim set exactly
 * while {@code IN_PROGRESS}); the rules are those of the in-memory store, which the kit holds
 * both to.
 */
final class FileTask {
  final String queue;
  final TaskSpec spec;
  final Instant createdAt;
  TaskState state = TaskState.INBOX;
  long token;
  String worker;
  Instant claimExpiresAt;
  Instant dueAt;
  int failures;
  int lost;
  String progress;
  String checkpoint;
  String output;
  String reason;
  boolean cancelRequested;
  Instant updatedAt;
  private final ArrayDeque<Attempt> attempts = new ArrayDeque<>();

  /** A task just submitted: {@code INBOX}, due now, no token yet. */
  FileTask(String queue, TaskSpec spec, Instant now) {
    this.queue = queue;
    this.spec = spec;
    this.createdAt = now;
    this.dueAt = now;
    this.updatedAt = now;
  }

  /** A task as its file holds it. */
  FileTask(TaskView view) {
    this(view.queue(), view.spec(), view.createdAt());
    state = view.state();
    token = view.token();
    worker = view.worker().orElse(null);
    claimExpiresAt = view.claimExpiresAt().orElse(null);
    dueAt = view.dueAt();
    failures = view.failures();
    lost = view.lost();
    progress = view.progress().orElse(null);
    checkpoint = view.checkpoint().orElse(null);
    output = view.output().orElse(null);
    reason = view.reason().orElse(null);
    cancelRequested = view.cancelRequested();
    updatedAt = view.updatedAt();
    attempts.addAll(view.attempts());
  }

  String id() {
    return spec.id();
  }

  TaskView view() {
    return new TaskView(queue, spec, state, token, Optional.ofNullable(worker),
        Optional.ofNullable(claimExpiresAt), dueAt, failures, lost, Optional.ofNullable(progress),
        Optional.ofNullable(checkpoint), Optional.ofNullable(output), Optional.ofNullable(reason),
        cancelRequested, createdAt, updatedAt, new ArrayList<>(attempts));
  }

  /** Whether {@code (worker, token)} holds a live claim at {@code now}. */
  boolean heldBy(String claimWorker, long claimToken, Instant now) {
    return state == TaskState.IN_PROGRESS && worker.equals(claimWorker) && token == claimToken
        && now.isBefore(claimExpiresAt);
  }

  boolean claimExpired(Instant now) {
    return state == TaskState.IN_PROGRESS && !now.isBefore(claimExpiresAt);
  }

  /** Whether a claim at {@code now} may take it: due in the inbox, or its claim expired. */
  boolean claimable(Instant now) {
    return state == TaskState.INBOX && !dueAt.isAfter(now) || claimExpired(now);
  }

  /** Whether a claim may ever take it without a retry: {@code INBOX} or {@code IN_PROGRESS}. */
  boolean live() {
    return !state.isFinal();
  }

  /** When the task becomes claimable: its due time, or the expiry of its claim. */
  Instant claimableSince() {
    return state == TaskState.IN_PROGRESS ? claimExpiresAt : dueAt;
  }

  /** Takes a claim with {@code newToken} and starts its attempt record. */
  void claim(String claimWorker, String incarnation, long newToken, Instant now,
      Instant expiresAt) {
    int number = attempts.isEmpty() ? 1 : attempts.getLast().number() + 1;
    token = newToken;
    state = TaskState.IN_PROGRESS;
    worker = claimWorker;
    claimExpiresAt = expiresAt;
    cancelRequested = false;
    updatedAt = now;
    attempts.addLast(new Attempt(number, claimWorker, incarnation, token, now,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty()));
    while (attempts.size() > TaskView.MAX_ATTEMPTS_KEPT) {
      attempts.removeFirst();
    }
  }

  /**
   * Ends the running attempt (if its record is still kept) and counts it; leaves the state to the
   * caller, who must then call {@link #leave}.
   */
  void endAttempt(AttemptOutcome outcome, Instant endedAt, Optional<String> errorClass,
      Optional<String> message, Optional<String> stackTrace) {
    Attempt running = attempts.peekLast();
    if (running != null && running.isRunning() && running.token() == token) {
      attempts.removeLast();
      attempts.addLast(new Attempt(running.number(), running.worker(), running.incarnation(),
          running.token(), running.startedAt(), Optional.of(endedAt), Optional.of(outcome),
          errorClass, message, stackTrace));
    }
    if (outcome.isFailure()) {
      failures++;
    }
    if (outcome == AttemptOutcome.WORKER_LOST) {
      lost++;
    }
  }

  /** Puts a {@code BLOCKED} task back in the inbox, due now, its counts reset. */
  void retry(Instant now) {
    failures = 0;
    lost = 0;
    reason = null;
    cancelRequested = false;
    dueAt = now;
    leave(TaskState.INBOX, now);
  }

  /** Leaves {@code IN_PROGRESS} (or {@code INBOX}, or {@code BLOCKED}) for {@code next}. */
  void leave(TaskState next, Instant now) {
    state = next;
    worker = null;
    claimExpiresAt = null;
    updatedAt = now;
  }
}
