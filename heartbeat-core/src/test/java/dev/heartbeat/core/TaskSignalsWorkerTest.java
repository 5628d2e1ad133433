package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.tck.Await;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A worker on a store with {@code TaskSignals} claims a submitted task at once, with the clock
 * standing still, instead of at its next poll; on a store without them it waits for the poll.
 */
class TaskSignalsWorkerTest {
  private static final Duration POLL = Duration.ofMinutes(10);

  @Test
  void aSignalledWorkerClaimsASubmittedTaskWithoutWaitingForItsPoll() {
    try (TaskRig rig = new TaskRig()) {
      rig.link.signalling = true;
      TaskWorkerImpl w = rig.worker("w1", 1, Duration.ofSeconds(5), POLL,
          ctx -> TaskResult.done());
      Await.until("the worker listens", w::listening);
      rig.settle();
      Instant before = rig.time.instant();
      rig.queue.submit(TaskSpec.of("t1", "p"));
      Await.until("t1 done with the clock standing still", () -> rig.is("t1", TaskState.DONE));
      assertThat(rig.time.instant()).isEqualTo(before);

      rig.settle();
      rig.queue.submit(TaskSpec.of("t2", "p"));
      Await.until("a second task too", () -> rig.is("t2", TaskState.DONE));
      assertThat(w.stats().claimed()).isEqualTo(2);
    }
  }

  /**
   * Where the queue signals, a slot that frees is claimed for only when the queue may have more
   * (a signal came, or the last claim was answered in full): with tasks submitted one by one, a
   * claim per freed slot found nothing, as many empty claims as tasks, each a transaction on
   * PostgreSQL ({@code pg_stat_statements}: 4,133 claims for 2,500 tasks).
   */
  @Test
  void aFreedSlotIsNotClaimedForUnlessTheQueueMayHaveMore() {
    try (TaskRig rig = new TaskRig()) {
      rig.link.signalling = true;
      TaskWorkerImpl w = rig.worker("w1", 2, Duration.ofSeconds(5), POLL,
          ctx -> TaskResult.done());
      Await.until("the worker listens", w::listening);
      rig.settle();
      for (int i = 0; i < 5; i++) {
        rig.queue.submit(TaskSpec.of("t" + i, "p"));
        int task = i;
        Await.until("t" + i + " done", () -> w.stats().done() == task + 1);
        rig.settle();
      }
      assertThat(rig.link.claimAnswers.stream().filter(n -> n == 0).count())
          .as("empty claims, clock standing still: " + rig.link.claimAnswers)
          .isLessThanOrEqualTo(2);
      assertThat(w.stats().claimed()).isEqualTo(5);
    }
  }

  @Test
  void withoutSignalsTheWorkerClaimsAtItsNextPoll() {
    try (TaskRig rig = new TaskRig()) {
      TaskWorkerImpl w = rig.worker("w1", 1, Duration.ofSeconds(5), POLL,
          ctx -> TaskResult.done());
      rig.settle();
      rig.queue.submit(TaskSpec.of("t1", "p"));
      rig.settle();
      assertThat(rig.is("t1", TaskState.INBOX)).as("claimed before the poll").isTrue();
      assertThat(w.listening()).isFalse();
      rig.step(POLL);
      Await.until("t1 done at the poll", () -> rig.is("t1", TaskState.DONE));
    }
  }

  /**
   * A worker cannot claim before its first beat is stored; the claim it skipped then, at its
   * start or on a signal, is made as soon as its beats succeed, not a whole poll later (found on
   * Redis: a task submitted just after a worker started waited for the poll, signals or not).
   */
  @Test
  void aClaimSkippedBeforeTheFirstBeatIsMadeOnceTheBeatsSucceed() {
    try (TaskRig rig = new TaskRig()) {
      rig.link.beatsFail = true;
      rig.link.signalling = true;
      TaskWorkerImpl w = rig.worker("w1", 1, Duration.ofSeconds(5), POLL,
          ctx -> TaskResult.done());
      rig.queue.submit(TaskSpec.of("t1", "p"));
      rig.until("a few failed beats", 5, () -> w.agent().outcome().beats().failed() >= 2);
      assertThat(rig.is("t1", TaskState.INBOX)).as("not claimed while not beating").isTrue();
      rig.link.beatsFail = false;
      rig.until("t1 done once the worker beats, long before its poll", 60,
          () -> rig.is("t1", TaskState.DONE));
    }
  }

  @Test
  void aClosedWorkerStopsListening() {
    try (TaskRig rig = new TaskRig()) {
      rig.link.signalling = true;
      TaskWorkerImpl w = rig.worker("w1", 1, Duration.ofSeconds(5), POLL,
          ctx -> TaskResult.done());
      Await.until("the worker listens", w::listening);
      w.close();
      assertThat(w.listening()).isFalse();
      rig.queue.submit(TaskSpec.of("t1", "p"));
      rig.settle();
      assertThat(rig.is("t1", TaskState.INBOX)).isTrue();
    }
  }
}
