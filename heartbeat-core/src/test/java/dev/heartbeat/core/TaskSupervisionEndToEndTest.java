package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskContext;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's end-to-end run, on the memory store with real agents and real time (bounds are
 * generous; only outcomes are asserted): three workers, 200 tasks. Worker a's handler hangs once;
 * worker c is cut off from the store while it runs tasks; one task always throws; one never
 * makes progress. Every task ends DONE, or BLOCKED with the right reason; no task runs on two
 * workers at once; c fences itself, its tasks are taken over as WORKER_LOST, and its late
 * completion is refused by the store.
 */
class TaskSupervisionEndToEndTest {
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration TTL = Duration.ofMillis(1500);

  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final List<String> overlaps = new CopyOnWriteArrayList<>();
  private final AtomicBoolean aHung = new AtomicBoolean();
  private final Set<String> cutTasks = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> cTokens = new ConcurrentHashMap<>();
  private volatile String hungTask;
  private volatile boolean cutOff;

  private TaskResult handle(String worker, TaskContext ctx) throws Exception {
    AtomicInteger running = inFlight.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger());
    if (running.incrementAndGet() > 1) {
      overlaps.add(ctx.taskId() + " on " + worker);
    }
    try {
      if (ctx.taskId().equals("throws")) {
        throw new IllegalStateException("always");
      }
      if (ctx.taskId().equals("silent")) {
        Thread.sleep(60_000); // no progress: stalled
        return TaskResult.done();
      }
      if (worker.equals("a") && aHung.compareAndSet(false, true)) {
        hungTask = ctx.taskId();
        Thread.sleep(60_000); // hangs until its attempt times out
      }
      if (worker.equals("c")) {
        cTokens.put(ctx.taskId(), ctx.token());
        if (cutOff) {
          cutTasks.add(ctx.taskId());
        }
        for (int i = 0; i < 20; i++) { // slow, with progress: running when the cut comes
          Thread.sleep(50);
          ctx.progress(i + "/20");
          if (cutOff) {
            cutTasks.add(ctx.taskId());
          }
        }
        return TaskResult.done("c");
      }
      Thread.sleep(5);
      ctx.progress("1/1");
      return TaskResult.done(worker);
    } finally {
      running.decrementAndGet();
    }
  }

  private TaskWorker worker(Heartbeats hb, String id) {
    return hb.worker(id).queue("e2e").concurrency(4).interval(INTERVAL).claimTtl(TTL)
        .pollInterval(Duration.ofMillis(50)).drainTimeout(Duration.ofSeconds(1))
        .handler(ctx -> handle(id, ctx)).start();
  }

  private static Heartbeats engine(String holder, HeartbeatStore store) {
    return Heartbeats.builder().store(store).holderId(holder).closeTimeout(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void everyTaskEndsDoneOrBlockedWithItsReasonAndNoneRunsTwiceAtOnce() throws Exception {
    MemoryStore memory = new MemoryStore();
    FaultyStore cLink = new FaultyStore(memory);
    try (Heartbeats hbA = engine("a", memory); Heartbeats hbB = engine("b", memory);
        Heartbeats hbC = engine("c", cLink)) {
      TaskQueue queue = hbA.tasks("e2e");
      for (int i = 0; i < 198; i++) {
        queue.submit(spec(String.format("t%03d", i)));
      }
      queue.submit(spec("throws"));
      queue.submit(spec("silent").progressTimeout(Duration.ofMillis(300)));
      TaskWorker c = worker(hbC, "c");
      Await.until("c runs 4 tasks", () -> c.stats().running() == 4, Duration.ofSeconds(60));
      cutOff = true;
      cLink.fail();
      TaskWorker a = worker(hbA, "a");
      TaskWorker b = worker(hbB, "b");
      Await.until("every task final", () -> {
        Map<TaskState, Long> n = queue.counts().byState();
        return n.get(TaskState.DONE) + n.get(TaskState.BLOCKED) == 200;
      }, Duration.ofSeconds(120));

      assertThat(overlaps).isEmpty();
      List<TaskView> blocked = queue.tasks(TaskState.BLOCKED);
      assertThat(blocked).extracting(TaskView::id).containsExactlyInAnyOrder("throws", "silent");
      assertThat(queue.task("throws").orElseThrow().reason().orElseThrow())
          .isEqualTo("failed 3 attempts: java.lang.IllegalStateException: always");
      assertThat(queue.task("silent").orElseThrow().reason().orElseThrow())
          .startsWith("failed 3 attempts: stalled");
      assertThat(queue.tasks(TaskState.DONE, 1000)).hasSize(198);

      TaskView hung = queue.task(hungTask).orElseThrow();
      assertThat(hung.state()).isEqualTo(TaskState.DONE);
      assertThat(hung.attempts()).anyMatch(t -> t.worker().equals("a")
          && t.outcome().equals(Optional.of(AttemptOutcome.TIMED_OUT)));

      assertThat(c.stats().selfFenced()).isPositive();
      assertThat(cutTasks).isNotEmpty();
      for (String id : cutTasks) {
        TaskView t = queue.task(id).orElseThrow();
        assertThat(t.state()).isEqualTo(TaskState.DONE);
        assertThat(t.attempts()).anyMatch(x -> x.worker().equals("c")
            && x.outcome().equals(Optional.of(AttemptOutcome.WORKER_LOST)));
        assertThat(t.attempts().getLast().worker()).isNotEqualTo("c");
      }

      // c's late completion, once it can reach the store again, is refused by its old token
      cLink.heal();
      TaskStore tasks = cLink.tasks().orElseThrow();
      String late = cutTasks.iterator().next();
      TaskView before = queue.task(late).orElseThrow();
      boolean written = tasks.end(new ClaimRef("e2e", late, "c", cTokens.get(late)),
          new AttemptEnd(AttemptOutcome.DONE, Optional.empty(), Optional.empty(),
              Optional.empty(), TaskState.DONE, Duration.ZERO, Optional.of("late")));
      assertThat(written).isFalse();
      assertThat(queue.task(late).orElseThrow()).isEqualTo(before);
      assertThat(a.stats().timedOut()).isEqualTo(1);
      a.close();
      b.close();
      c.close();
    }
  }

  private static TaskSpec spec(String id) {
    return TaskSpec.of(id, "payload " + id).attemptTimeout(Duration.ofSeconds(2))
        .retryDelay(Duration.ofMillis(20), Duration.ofMillis(100));
  }
}
