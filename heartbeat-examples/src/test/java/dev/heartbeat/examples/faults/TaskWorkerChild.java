package dev.heartbeat.examples.faults;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskContext;
import dev.heartbeat.TaskHandler;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.WorkerStats;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.TaskStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker process of {@link TaskFaultsTest}: opens the store at {@code args[0]} (through a
 * {@link RecordingStore}), starts a {@link TaskWorker} {@code args[2]} on queue {@code args[1]}
 * with concurrency {@code args[4]}, whose handler works {@code args[5]} milliseconds per attempt
 * (in steps of {@link #STEP}, reporting progress after each) and returns done, and logs every run
 * to {@code args[3]} ({@link RunLog}), and the worker's fenced-out and self-fenced counts
 * ({@code STATS fencedOut selfFenced wall}) when they change. With {@code args[6]}
 * {@code lateWrites}, an attempt fenced out then writes its progress and end to the store anyway
 * (a zombie that ignores its fence: the store must refuse both); with {@code fenced} it does not. It runs until killed, at most {@link #MAX_LIFE}, and exits
 * when its standard input closes (the test JVM is gone), so that no child outlives its test.
 */
public final class TaskWorkerChild {
  /** The claim TTL of every worker process. */
  static final Duration CLAIM_TTL = Duration.ofSeconds(3);
  /** The heartbeat and renewal interval of every worker process. */
  static final Duration INTERVAL = Duration.ofSeconds(1);
  /** The longest a worker process lives. */
  static final Duration MAX_LIFE = Duration.ofMinutes(5);
  private static final Duration STEP = Duration.ofMillis(250);

  private TaskWorkerChild() {}

  /**
   * Runs the worker.
   *
   * @param args store URI, queue, worker id, log file, concurrency, work per attempt in ms,
   *     {@code lateWrites} or {@code fenced}
   * @throws IOException when the log cannot be opened
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 7) {
      throw new IllegalArgumentException("usage: storeUri queue worker logFile concurrency "
          + "workMillis lateWrites|fenced, got " + args.length + " arguments");
    }
    boolean lateWrites = args[6].equals("lateWrites");
    exitWhenParentGoes();
    String worker = args[2];
    Duration work = Duration.ofMillis(Long.parseLong(args[5]));
    try (RunLog log = RunLog.open(Path.of(args[3]));
        HeartbeatStore raw = Heartbeats.openStore(args[0]);
        RecordingStore store = new RecordingStore(raw, log);
        Heartbeats hb = Heartbeats.builder().store(store).holderId(worker).build()) {
      TaskWorker running = hb.worker(worker).queue(args[1])
          .concurrency(Integer.parseInt(args[4])).interval(INTERVAL).claimTtl(CLAIM_TTL)
          .pollInterval(Duration.ofMillis(100)).handler(handler(log, worker, work, lateWrites ? store.tasks().orElseThrow() : null))
          .start();
      log.write("RUNNING", worker, running.incarnation(), RunLog.wall());
      logStatsUntilKilled(log, running);
    }
  }

  /** Logs the worker's fencing counts whenever they change, every 100 ms, for MAX_LIFE. */
  private static void logStatsUntilKilled(RunLog log, TaskWorker worker) {
    long end = System.nanoTime() + MAX_LIFE.toNanos();
    String last = "";
    for (long left = MAX_LIFE.toNanos(); left > 0; left = end - System.nanoTime()) {
      WorkerStats s = worker.stats();
      String now = s.fencedOut() + " " + s.selfFenced();
      if (!now.equals(last)) {
        log.write("STATS", now, RunLog.wall());
        last = now;
      }
      LockSupport.parkNanos(Math.min(left, Duration.ofMillis(100).toNanos()));
    }
  }

  /**
   * The handler; with {@code zombie}, an attempt the worker fenced out then writes progress and
   * its end straight to the store anyway, as a worker that ignored its fence would.
   */
  private static TaskHandler handler(RunLog log, String worker, Duration work,
      TaskStore zombie) {
    return ctx -> {
      log.write("START", ctx.taskId(), ctx.attempt(), ctx.token(), worker, RunLog.wall());
      String how = "failed";
      try {
        work(ctx, work);
        how = "done";
        return TaskResult.done(worker + " token " + ctx.token());
      } catch (InterruptedException e) {
        how = "interrupted";
        throw e;
      } finally {
        log.write("RETURN", ctx.taskId(), ctx.attempt(), ctx.token(), worker, RunLog.wall(), how,
            ctx.stopReason().map(Enum::name).orElse("-"));
        if (zombie != null && ctx.stopReason().orElse(null) == AttemptOutcome.FENCED_OUT) {
          writeLate(zombie, ctx, worker);
        }
      }
    };
  }

  /** Late writes of a fenced-out attempt (logged by the {@link RecordingStore}). */
  private static void writeLate(TaskStore tasks, TaskContext ctx, String worker) {
    ClaimRef claim = new ClaimRef(ctx.queue(), ctx.taskId(), worker, ctx.token());
    try {
      tasks.progress(claim, "late", Optional.of("late checkpoint of " + worker));
      tasks.end(claim, new AttemptEnd(AttemptOutcome.DONE, Optional.empty(), Optional.empty(),
          Optional.empty(), TaskState.DONE, Duration.ZERO, Optional.of("late " + worker)));
    } catch (RuntimeException e) {
      // logged as an error by the recording store
    }
  }

  /** The work of one attempt: {@code work} of real time, with progress after each step. */
  private static void work(TaskContext ctx, Duration work) throws InterruptedException {
    long end = System.nanoTime() + work.toNanos();
    int step = 0;
    for (long left = work.toNanos(); left > 0; left = end - System.nanoTime()) {
      Thread.sleep(Duration.ofNanos(Math.min(left, STEP.toNanos())));
      ctx.progress("step " + ++step);
    }
  }

  /** Exits the JVM at once when standard input reaches its end: the parent died or closed it. */
  private static void exitWhenParentGoes() {
    Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
      InputStream in = System.in;
      try {
        while (in.read() >= 0) {
          // the parent writes nothing; any byte is ignored
        }
      } catch (IOException e) {
        // gone as well
      }
      Runtime.getRuntime().halt(3);
    });
  }
}
