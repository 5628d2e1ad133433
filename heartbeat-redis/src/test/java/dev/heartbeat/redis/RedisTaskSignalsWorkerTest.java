package dev.heartbeat.redis;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * End to end on real time: an engine worker on the Redis store that polls only every 30 s picks
 * up each task submitted to its idle queue well before its next poll, because the store's
 * signal wakes it (without signals each waits for the poll and misses the bound). A first task
 * is done before, within one poll: a worker does not claim before its agent's first beat
 * succeeded, and a signal that comes before that is spent (a race of heartbeat-core's worker,
 * not of the store).
 */
class RedisTaskSignalsWorkerTest {
  private static final Duration POLL = Duration.ofSeconds(30);
  private static final Duration PROMPT = Duration.ofSeconds(10);

  @Test
  void aWorkerPollingEvery30SecondsStartsSubmittedTasksPromptly() {
    try (RedisStore store = RedisHarness.INSTANCE.builder(new ManualTime())
        .freshPrefixWithoutQuarantine().build();
        Heartbeats hb = Heartbeats.builder().store(store).holderId("test")
            .closeTimeout(Duration.ofSeconds(5)).build()) {
      TaskQueue queue = hb.tasks("prompt");
      try (TaskWorker worker = hb.worker("w").queue("prompt").concurrency(1)
          .pollInterval(POLL).handler(ctx -> TaskResult.done()).start()) {
        queue.submit(TaskSpec.of("t0", ""));
        Await.until("t0 done within a poll", () -> done(queue, "t0"), POLL.multipliedBy(2));
        for (int i = 1; i <= 3; i++) {
          String id = "t" + i;
          queue.submit(TaskSpec.of(id, ""));
          Await.until(id + " done long before the next poll", () -> done(queue, id), PROMPT);
        }
      }
    }
  }

  private static boolean done(TaskQueue queue, String id) {
    return queue.task(id).map(t -> t.state() == TaskState.DONE).orElse(false);
  }
}
