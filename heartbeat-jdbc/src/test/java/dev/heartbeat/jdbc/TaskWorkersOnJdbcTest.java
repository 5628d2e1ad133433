package dev.heartbeat.jdbc;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's task workers on each database, with real time (only outcomes are asserted): two
 * workers on two engines run 60 tasks, each exactly once and never on both at once, to DONE with
 * its worker's output.
 */
class TaskWorkersOnJdbcTest {
  private static final int TASKS = 60;

  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final List<String> overlaps = new CopyOnWriteArrayList<>();

  private TaskResult handle(String worker, TaskContext ctx) {
    AtomicInteger running = inFlight.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger());
    if (running.incrementAndGet() > 1) {
      overlaps.add(ctx.taskId() + " on " + worker);
    }
    try {
      ctx.progress("half"); // rides the worker's ticker: may be written, or fenced after the end
      return TaskResult.done(worker);
    } finally {
      running.decrementAndGet();
    }
  }

  private TaskWorker worker(Heartbeats hb, String id) {
    return hb.worker(id).queue("jdbc").concurrency(4).interval(Duration.ofMillis(200))
        .claimTtl(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
        .drainTimeout(Duration.ofSeconds(1)).handler(ctx -> handle(id, ctx)).start();
  }

  private static Heartbeats engine(String holder, JdbcStore store) {
    return Heartbeats.builder().store(store).holderId(holder).closeTimeout(Duration.ofSeconds(5))
        .build();
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void twoWorkersRunEveryTaskOnceToDone(JdbcHarness db) {
    try (JdbcStore store = db.fresh(10); Heartbeats a = engine("a", store);
        Heartbeats b = engine("b", store)) {
      TaskQueue queue = a.tasks("jdbc");
      for (int i = 0; i < TASKS; i++) {
        queue.submit(TaskSpec.of(String.format("t%02d", i), "{}"));
      }
      worker(a, "a");
      worker(b, "b");
      Await.until("every task done", () -> queue.counts().of(TaskState.DONE) == TASKS,
          Duration.ofSeconds(60));
      assertThat(overlaps).isEmpty();
      List<TaskView> done = queue.tasks(TaskState.DONE, TASKS);
      assertThat(done).hasSize(TASKS).allSatisfy(t -> {
        assertThat(t.attempts()).singleElement().satisfies(x ->
            assertThat(x.outcome()).contains(AttemptOutcome.DONE));
        assertThat(t.output()).contains(t.attempts().getFirst().worker());
      });
    }
  }
}
