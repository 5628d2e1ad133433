package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The engine's task workers on the Redis store, on the real clocks of the machine and the
 * server (nothing here waits for time to pass, only for the work to be done): two workers take
 * every task of a queue once, a failed attempt is retried with its checkpoint, and the outputs
 * and attempts are stored.
 */
class RedisTaskWorkerTest {
  @Test
  void twoWorkersDoEveryTaskOnceAndAFailedAttemptIsRetriedWithItsCheckpoint() {
    Set<String> ran = ConcurrentHashMap.newKeySet();
    Set<String> twice = ConcurrentHashMap.newKeySet();
    try (RedisStore store = RedisHarness.INSTANCE.builder(new ManualTime())
        .freshPrefixWithoutQuarantine().build();
        Heartbeats hb = Heartbeats.builder().store(store).holderId("test")
            .closeTimeout(Duration.ofSeconds(5)).build()) {
      TaskQueue queue = hb.tasks("orders");
      for (int i = 0; i < 20; i++) {
        queue.submit(TaskSpec.of("order-" + i, "p" + i)
            .retryDelay(Duration.ofMillis(100), Duration.ofMillis(100)));
      }
      try (TaskWorker a = worker(hb, "a", ran, twice); TaskWorker b = worker(hb, "b", ran, twice)) {
        Await.until("every task done", () -> queue.counts().of(TaskState.DONE) == 20,
            Duration.ofSeconds(60));
      }
      assertThat(twice).as("only the failing task ran twice").containsExactly("order-7");
      TaskView seven = queue.task("order-7").orElseThrow();
      assertThat(seven.output()).contains("p7 from page=2");
      assertThat(seven.attempts()).extracting(x -> x.outcome().orElseThrow())
          .containsExactly(AttemptOutcome.FAILED, AttemptOutcome.DONE);
      assertThat(seven.attempts().getFirst().errorClass()).contains("java.io.IOException");
      assertThat(queue.task("order-3").orElseThrow().output()).contains("p3");
      assertThat(store.problems()).isEmpty();
    }
  }

  private static TaskWorker worker(Heartbeats hb, String id, Set<String> ran, Set<String> twice) {
    return hb.worker(id).queue("orders").concurrency(3).interval(Duration.ofSeconds(1))
        .claimTtl(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).handler(context -> {
          String task = context.taskId();
          if (!ran.add(task)) {
            twice.add(task);
          }
          if (task.equals("order-7") && context.checkpoint().isEmpty()) {
            context.progress("half way", "page=2");
            // the worker sends progress on its next tick, and drops what an ended attempt had
            // not sent yet: wait until the checkpoint is stored
            Await.until("the checkpoint stored", () -> hb.tasks("orders").task(task)
                .flatMap(TaskView::checkpoint).isPresent(), Duration.ofSeconds(30));
            throw new java.io.IOException("disk full");
          }
          return TaskResult.done(context.payload() + context.checkpoint().map(c -> " from " + c)
              .orElse(""));
        }).start();
  }
}
