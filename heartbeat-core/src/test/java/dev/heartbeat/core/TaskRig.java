package dev.heartbeat.core;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskHandler;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * One engine on a memory store behind a {@link TaskLink}, on a manual clock, and its workers.
 * Time moves only while every worker's loop and the ticker wait on the clock with no store call
 * on its way and no answer waiting.
 */
final class TaskRig implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration TTL = Duration.ofSeconds(6);

  final ManualTime time = new ManualTime();
  final MemoryStore memory = new MemoryStore(time, 100);
  final TaskLink link = new TaskLink(memory);
  final Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("rig")
      .closeTimeout(Duration.ofSeconds(5)).build();
  final TaskQueue queue = hb.tasks("q");
  private final List<TaskWorkerImpl> workers = new CopyOnWriteArrayList<>();

  TaskWorkerImpl worker(String id, int concurrency, TaskHandler handler) {
    return worker(id, concurrency, Duration.ofSeconds(5), handler);
  }

  TaskWorkerImpl worker(String id, int concurrency, Duration drain, TaskHandler handler) {
    return worker(id, concurrency, drain, INTERVAL, handler);
  }

  TaskWorkerImpl worker(String id, int concurrency, Duration drain, Duration poll,
      TaskHandler handler) {
    TaskWorkerImpl w = (TaskWorkerImpl) hb.worker(id).queue("q").concurrency(concurrency)
        .handler(handler).interval(INTERVAL).claimTtl(TTL).pollInterval(poll)
        .drainTimeout(drain).start();
    workers.add(w);
    if (!link.beatsFail && !link.cut) {
      // its first beat is due at once; waiting for it here keeps the steps apart from the
      // ticker's timing (a ticker woken by the clock is listed as parked until it runs)
      Await.until("the worker's first beat", () -> w.agent().outcome().beats().succeeded() > 0);
    }
    return w;
  }

  /** Waits until nothing is on its way: the clock may move. */
  void settle() {
    settle(0);
  }

  /** Waits until nothing but {@code hanging} store calls a test holds is on its way. */
  void settle(int hanging) {
    Ticker ticker = ((Engine) hb).tickerLoop();
    Await.until("the engine waits on the clock with nothing on its way", () ->
        workers.stream().allMatch(w -> w.stats() != null && (!w.loopThread().isAlive()
            || time.isParked(w.loopThread()) && w.idle()))
        && time.isParked(ticker.thread()) && ticker.nothingPosted()
        && hb.ticker().storeCallsRunning() == hanging);
  }

  void step(Duration by) {
    settle();
    time.advance(by);
  }

  /** Moves time a second at a time until {@code condition}, at most {@code max} seconds. */
  void until(String what, int max, BooleanSupplier condition) {
    for (int s = 0; s < max; s++) {
      settle();
      if (condition.getAsBoolean()) {
        return;
      }
      time.advance(Duration.ofSeconds(1));
    }
    settle();
    if (!condition.getAsBoolean()) {
      throw new AssertionError("not within " + max + " simulated seconds: " + what);
    }
  }

  TaskView task(String id) {
    return queue.task(id).orElseThrow();
  }

  boolean is(String id, TaskState state) {
    return task(id).state() == state;
  }

  @Override
  public void close() {
    hb.close();
  }
}
