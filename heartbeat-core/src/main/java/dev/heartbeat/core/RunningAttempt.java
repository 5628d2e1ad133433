package dev.heartbeat.core;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskContext;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskView;
import dev.heartbeat.TimeSource;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.TaskClaim;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One attempt a worker runs: the handler's {@link TaskContext}, and the attempt's local
 * deadlines on the worker's monotonic clock (attempt timeout, progress timeout, claim validity).
 * The worker's loop reads the deadlines and decides a stop ({@link #stop}); exactly one party
 * ends the attempt ({@link #endOnce}).
 */
final class RunningAttempt implements TaskContext {
  /** Progress waiting to be written by the worker's loop. */
  record Progress(String text, Optional<String> checkpoint) {}

  private final TaskView task;
  private final ClaimRef claim;
  private final TimeSource time;
  private final TaskWorkerImpl worker;
  private final long startedNanos;
  private final AtomicReference<AttemptOutcome> stop = new AtomicReference<>();
  private final AtomicReference<Progress> pending = new AtomicReference<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  /** Set while a progress write of this attempt is on its way: at most one at a time. */
  final AtomicBoolean writingProgress = new AtomicBoolean();
  /** The progress write on its way, or the last one; an attempt's end waits for it. */
  volatile java.util.concurrent.CompletableFuture<?> progressWrite =
      java.util.concurrent.CompletableFuture.completedFuture(null);
  private volatile String checkpoint;
  private volatile long progressedNanos;
  private volatile long validUntilNanos;
  volatile Thread thread;

  RunningAttempt(TaskClaim claim, TaskWorkerImpl worker, TimeSource time, long validUntilNanos) {
    this.task = claim.task();
    this.claim = claim.claim();
    this.worker = worker;
    this.time = time;
    this.startedNanos = time.nanoTime();
    this.progressedNanos = startedNanos;
    this.validUntilNanos = validUntilNanos;
    this.checkpoint = task.checkpoint().orElse(null);
  }

  TaskView task() {
    return task;
  }

  ClaimRef claim() {
    return claim;
  }

  TaskSpec spec() {
    return task.spec();
  }

  @Override
  public String queue() {
    return task.queue();
  }

  @Override
  public String taskId() {
    return task.id();
  }

  @Override
  public String payload() {
    return task.spec().payload();
  }

  @Override
  public int attempt() {
    return task.attempts().isEmpty() ? 1 : task.attempts().getLast().number();
  }

  @Override
  public long token() {
    return claim.token();
  }

  @Override
  public Optional<String> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }

  @Override
  public void progress(String text) {
    Checks.notNull("text", text);
    Checks.text("text", text);
    report(new Progress(text, Optional.empty()));
  }

  @Override
  public void progress(String text, String checkpoint) {
    Checks.notNull("text", text);
    Checks.text("text", text);
    Checks.payload("checkpoint", checkpoint, TaskSpec.MAX_PAYLOAD_LENGTH);
    this.checkpoint = checkpoint;
    report(new Progress(text, Optional.of(checkpoint)));
  }

  private void report(Progress p) {
    progressedNanos = time.nanoTime();
    // a checkpoint not yet written is kept when newer text without one replaces it
    pending.accumulateAndGet(p, (old, now) -> now.checkpoint().isEmpty() && old != null
        ? new Progress(now.text(), old.checkpoint()) : now);
    worker.progressed(this, p.text());
  }

  /**
   * Takes the progress waiting to be written, if any and if no write of it is on its way (then
   * the caller must clear {@link #writingProgress} when the write returns).
   */
  /**
   * Takes a checkpoint not yet written, whatever is on its way, for the attempt's end to write
   * first (the text that came with it too): a checkpoint saved just before a throw must reach the
   * next attempt.
   */
  Progress takeUnsentCheckpoint() {
    Progress p = pending.get();
    return p != null && p.checkpoint().isPresent() && pending.compareAndSet(p, null) ? p : null;
  }

  Progress takeProgress() {
    if (pending.get() == null || !writingProgress.compareAndSet(false, true)) {
      return null;
    }
    Progress p = pending.getAndSet(null);
    if (p == null) {
      writingProgress.set(false);
    }
    return p;
  }

  @Override
  public Duration timeLeft() {
    long left = startedNanos + spec().attemptTimeout().toNanos() - time.nanoTime();
    return Duration.ofNanos(Math.max(0, left));
  }

  @Override
  public Optional<AttemptOutcome> stopReason() {
    return Optional.ofNullable(stop.get());
  }

  /** The stop due at {@code now} by this attempt's own deadlines, or null. */
  AttemptOutcome dueStop(long now) {
    if (now - (startedNanos + spec().attemptTimeout().toNanos()) >= 0) {
      return AttemptOutcome.TIMED_OUT;
    }
    if (now - (progressedNanos + spec().progressTimeout().toNanos()) >= 0) {
      return AttemptOutcome.STALLED;
    }
    return null;
  }

  /** The next instant (engine nanos) at which {@link #dueStop} or the validity may change. */
  long nextDeadline() {
    long attemptEnd = startedNanos + spec().attemptTimeout().toNanos();
    long stallAt = progressedNanos + spec().progressTimeout().toNanos();
    return Math.min(validUntilNanos, Math.min(attemptEnd, stallAt));
  }

  boolean validAt(long now) {
    return now - validUntilNanos < 0;
  }

  void renewed(long validUntil) {
    validUntilNanos = validUntil;
  }

  /**
   * Decides that the attempt stops for {@code reason} and interrupts its handler.
   *
   * @return false when a stop was decided already
   */
  boolean stop(AttemptOutcome reason) {
    if (!stop.compareAndSet(null, reason)) {
      return false;
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
    return true;
  }

  /** Whether this caller is the one to end the attempt (true once). */
  boolean endOnce() {
    return ended.compareAndSet(false, true);
  }

  boolean isEnded() {
    return ended.get();
  }

  @Override
  public String toString() {
    return "attempt " + attempt() + " of " + task.queue() + "/" + task.id() + " (token "
        + claim.token() + ")";
  }
}
