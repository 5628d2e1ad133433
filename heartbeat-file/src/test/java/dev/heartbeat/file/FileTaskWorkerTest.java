package dev.heartbeat.file;

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
import dev.heartbeat.tck.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The engine's task workers on the file store, with real time (bounds are generous; only outcomes
 * are asserted): two engines, each on a store of its own opened on one directory (as two
 * processes would), each with a worker of four slots on one queue. Every task ends DONE but the
 * one that always throws, which is BLOCKED after its attempts; no task runs on two workers at
 * once.
 */
class FileTaskWorkerTest {
  private static final int TASKS = 40;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final List<String> overlaps = new CopyOnWriteArrayList<>();

  private TaskResult handle(String worker, TaskContext ctx) throws Exception {
    AtomicInteger running = inFlight.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger());
    if (running.incrementAndGet() > 1) {
      overlaps.add(ctx.taskId() + " on " + worker);
    }
    try {
      if (ctx.taskId().equals("throws")) {
        throw new IllegalStateException("always");
      }
      ctx.progress("working");
      return TaskResult.done(worker);
    } finally {
      running.decrementAndGet();
    }
  }

  private TaskWorker worker(Heartbeats hb, String id) {
    return hb.worker(id).queue("e2e").concurrency(4).interval(Duration.ofMillis(200))
        .claimTtl(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(50))
        .drainTimeout(Duration.ofSeconds(1)).handler(ctx -> handle(id, ctx)).start();
  }

  private static Heartbeats engine(String holder, FileStore store) {
    return Heartbeats.builder().store(store).holderId(holder)
        .closeTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void twoEnginesSharingADirectoryRunEveryTaskOnce() {
    Path dir = FileHarness.freshDirectory();
    try (FileStore storeA = FileStore.open(dir); FileStore storeB = FileStore.open(dir);
        Heartbeats a = engine("a", storeA); Heartbeats b = engine("b", storeB)) {
      TaskQueue queue = a.tasks("e2e");
      for (int i = 0; i < TASKS; i++) {
        queue.submit(TaskSpec.of(String.format("t%03d", i), ""));
      }
      queue.submit(TaskSpec.of("throws", "").maxAttempts(2)
          .retryDelay(Duration.ofMillis(10), Duration.ofMillis(20)));
      worker(a, "wa");
      worker(b, "wb");
      Await.until("every task final", () -> queue.counts().of(TaskState.DONE) == TASKS
          && queue.counts().of(TaskState.BLOCKED) == 1, Duration.ofSeconds(60));
      TaskView blocked = queue.task("throws").orElseThrow();
      assertThat(blocked.reason()).hasValueSatisfying(r -> assertThat(r).contains("always"));
      assertThat(blocked.attempts()).extracting(t -> t.outcome().orElseThrow())
          .containsExactly(AttemptOutcome.FAILED, AttemptOutcome.FAILED);
      assertThat(b.tasks("e2e").tasks(TaskState.DONE, 100)).hasSize(TASKS)
          .allSatisfy(t -> assertThat(t.attempts()).hasSize(1));
      assertThat(overlaps).isEmpty();
    }
  }
}
