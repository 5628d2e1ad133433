package dev.heartbeat.core;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskHandler;
import dev.heartbeat.TaskResult;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a worker's attempts, each on a virtual thread of its own, and ends each exactly once: when
 * its handler returns or throws, or, when the worker decided a stop, as soon as the handler
 * returned or {@link #STOP_GRACE} of real time passed (so that a handler that ignores its
 * interrupt does not hold the task). The end is written through the worker's {@link EndBatcher}
 * (with the ends of other attempts that finish meanwhile), awaited on the attempt's thread or an
 * ender thread, never on the worker's loop; a fenced-out attempt writes nothing.
 */
final class AttemptRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

  /** How long an ender waits for an interrupted handler to return before ending its attempt. */
  static final Duration STOP_GRACE = Duration.ofSeconds(1);

  private final Engine engine;
  private final TaskStore store;
  private final TaskHandler handler;
  private final WorkerCounters counters;
  private final Consumer<RunningAttempt> onFinished;
  private final Consumer<RunningAttempt> onEnded;
  private final EndBatcher ends;

  /**
   * A runner whose attempts call {@code onFinished} once their handler is over (returned, threw,
   * or was given up on after the grace), before their end is written, and {@code onEnded} once
   * the store answered that end (or it failed).
   */
  AttemptRunner(Engine engine, TaskStore store, TaskHandler handler, WorkerCounters counters,
      EndBatcher ends, Consumer<RunningAttempt> onFinished, Consumer<RunningAttempt> onEnded) {
    this.engine = engine;
    this.store = store;
    this.ends = ends;
    this.onFinished = onFinished;
    this.handler = handler;
    this.counters = counters;
    this.onEnded = onEnded;
  }

  /** Starts the attempt's handler on a new virtual thread. */
  void start(RunningAttempt a) {
    Thread t = Thread.ofVirtual().name("heartbeat-task-" + a.queue() + "/" + a.taskId())
        .unstarted(() -> run(a));
    a.thread = t;
    t.start();
  }

  private void run(RunningAttempt a) {
    TaskResult result = null;
    Throwable error = null;
    try {
      result = handler.run(a);
      if (result == null) {
        error = new IllegalStateException("the handler returned null, not a TaskResult");
      }
    } catch (Throwable e) {
      error = e;
    }
    finish(a, result, error);
  }

  /** Stops {@code a} for {@code reason} (interrupting its handler) and ends it after the grace. */
  void stop(RunningAttempt a, AttemptOutcome reason) {
    if (!a.stop(reason)) {
      return;
    }
    Thread.ofVirtual().name("heartbeat-task-ender-" + a.taskId()).start(() -> {
      Thread handlerThread = a.thread;
      try {
        if (handlerThread != null) {
          handlerThread.join(STOP_GRACE);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finish(a, null, null);
    });
  }

  private void finish(RunningAttempt a, TaskResult result, Throwable error) {
    if (!a.endOnce()) {
      return;
    }
    Thread.interrupted(); // the handler's interrupt must not cut the end's own call short
    try {
      onFinished.accept(a);
      AttemptOutcome stop = a.stopReason().orElse(null);
      AttemptEnd end;
      if (stop == AttemptOutcome.FENCED_OUT) {
        return; // the claim is gone: nothing to write, the task is not ours
      } else if (stop == AttemptOutcome.CANCELLED) {
        end = AttemptEnds.cancelled();
      } else if (stop == AttemptOutcome.RELEASED) {
        end = AttemptEnds.released();
      } else if (stop != null) {
        end = AttemptEnds.stopped(a.task(), stop);
      } else if (error != null) {
        end = AttemptEnds.failed(a.task(), error);
      } else {
        end = AttemptEnds.done(result);
      }
      writeCheckpoint(a);
      write(a, end);
    } finally {
      onEnded.accept(a);
    }
  }

  /**
   * Writes a checkpoint the worker's loop has not sent yet, after the progress write on its way
   * (which carries an older one), so that the end does not lose it.
   */
  private void writeCheckpoint(RunningAttempt a) {
    RunningAttempt.Progress p = a.takeUnsentCheckpoint();
    if (p == null) {
      return;
    }
    String op = "taskProgress(" + a.queue() + "/" + a.taskId() + ")";
    try {
      await(a.progressWrite);
      engine.calls().bounded(op, engine.config().callTimeout(),
          () -> store.progress(a.claim(), p.text(), p.checkpoint()));
    } catch (HeartbeatStoreException e) {
      LOG.warn("{}: its last checkpoint was not written", a, e);
    }
  }

  /** Waits for {@code write} on the engine's clock, at most the call timeout. */
  private void await(java.util.concurrent.CompletableFuture<?> write) {
    Thread me = Thread.currentThread();
    write.whenComplete((r, e) -> java.util.concurrent.locks.LockSupport.unpark(me));
    long deadline = engine.config().time().nanoTime() + engine.config().callTimeout().toNanos();
    while (!write.isDone() && engine.config().time().nanoTime() - deadline < 0) {
      engine.config().time().parkUntil(deadline);
    }
  }

  private void write(RunningAttempt a, AttemptEnd end) {
    try {
      boolean written = ends.end(a.claim(), end, engine.config().callTimeout());
      if (written) {
        counters.ended(end.outcome());
        LOG.debug("{} ended {} -> {}", a, end.outcome(), end.next());
      } else {
        counters.ended(AttemptOutcome.FENCED_OUT);
        LOG.info("{}: the store refused its end {} (the claim was gone): fenced out", a,
            end.outcome());
      }
    } catch (HeartbeatStoreException e) {
      LOG.warn("{}: could not record its end {}; its claim will expire and the task be claimed "
          + "again", a, end.outcome(), e);
    }
  }
}
