package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskContext;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.tck.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One behaviour of a {@code TaskWorker} per test, on a manual clock and the memory store. */
class TaskWorkerTest {
  /** A handler that waits until interrupted, and notes why it had to stop. */
  private static TaskResult waitForStop(TaskContext ctx, AtomicReference<AttemptOutcome> why) {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      why.set(ctx.stopReason().orElse(null));
    }
    return TaskResult.done("late");
  }

  private static Attempt last(TaskView t) {
    return t.attempts().getLast();
  }

  @Test
  void aWorkerRunsATaskToDoneOnAVirtualThreadOffTheTicker() {
    try (TaskRig rig = new TaskRig()) {
      AtomicReference<Thread> ran = new AtomicReference<>();
      rig.queue.submit(TaskSpec.of("t1", "hello"));
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> {
        ran.set(Thread.currentThread());
        return TaskResult.done(ctx.payload() + " done");
      });
      rig.until("t1 done", 30, () -> rig.is("t1", TaskState.DONE));
      TaskView t = rig.task("t1");
      assertThat(t.output()).contains("hello done");
      assertThat(last(t).outcome()).contains(AttemptOutcome.DONE);
      assertThat(last(t).worker()).isEqualTo("w1");
      assertThat(ran.get().isVirtual()).isTrue();
      assertThat(ran.get()).isNotEqualTo(((Engine) rig.hb).tickerLoop().thread());
      Await.until("counted done", () -> w.stats().done() == 1); // counted once the end is stored
      assertThat(w.stats().claimed()).isEqualTo(1);
    }
  }

  @Test
  void aSlotFreesWhenItsHandlerReturnsNotWhenItsEndIsStoredAndEndsOnTheirWayAreBounded() {
    try (TaskRig rig = new TaskRig()) {
      for (int i = 0; i < 4; i++) {
        rig.queue.submit(TaskSpec.of("t" + i, "p"));
      }
      CountDownLatch ends = new CountDownLatch(1);
      rig.link.endsHang = ends;
      List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> {
        started.add(ctx.taskId());
        return TaskResult.done();
      });
      Await.until("a second task started while the first end hangs", () -> started.size() == 2);
      for (int i = 0; i < 5; i++) { // within the call timeout (10 s)
        rig.settle(1);
        rig.time.advance(TaskRig.INTERVAL);
      }
      rig.settle(1);
      assertThat(started).as("claims held: one running or ending per slot, and as many ending")
          .hasSize(2);
      assertThat(w.stats().running()).isZero();
      rig.link.endsHang = null;
      ends.countDown();
      rig.until("all done", 60, () -> w.stats().done() == 4);
      for (int i = 0; i < 4; i++) {
        assertThat(rig.task("t" + i).state()).isEqualTo(TaskState.DONE);
      }
    }
  }

  @Test
  void endsThatFinishWhileAnEndIsOnItsWayGoTogetherInTheNextBatch() {
    try (TaskRig rig = new TaskRig()) {
      for (int i = 0; i < 4; i++) {
        rig.queue.submit(TaskSpec.of("t" + i, "p"));
      }
      CountDownLatch rest = new CountDownLatch(1);
      CountDownLatch firstEnd = new CountDownLatch(1);
      rig.link.endsHang = firstEnd;
      AtomicInteger started = new AtomicInteger();
      TaskWorkerImpl w = rig.worker("w1", 4, ctx -> {
        started.incrementAndGet();
        if (!ctx.taskId().equals("t0")) {
          rest.await();
        }
        return TaskResult.done();
      });
      Await.until("4 started", () -> started.get() == 4);
      Await.until("t0's end on its way", () -> rig.link.endBatches.size() == 1);
      rest.countDown();
      Await.until("3 ends waiting behind it", () -> w.endsWaiting() == 3);
      rig.link.endsHang = null;
      firstEnd.countDown();
      Await.until("all counted done", () -> w.stats().done() == 4);
      assertThat(rig.link.endBatches).containsExactly(1, 3);
      for (int i = 0; i < 4; i++) {
        assertThat(rig.task("t" + i).state()).isEqualTo(TaskState.DONE);
      }
    }
  }

  @Test
  void itNeverRunsMoreThanItsConcurrencyAndRenewsAllClaimsInOneBatch() {
    try (TaskRig rig = new TaskRig()) {
      for (int i = 0; i < 5; i++) {
        rig.queue.submit(TaskSpec.of("t" + i, "p"));
      }
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger now = new AtomicInteger();
      AtomicInteger max = new AtomicInteger();
      TaskWorkerImpl w = rig.worker("w1", 3, ctx -> {
        max.accumulateAndGet(now.incrementAndGet(), Math::max);
        try {
          release.await();
        } finally {
          now.decrementAndGet();
        }
        return TaskResult.done();
      });
      rig.until("3 running", 30, () -> now.get() == 3);
      for (int i = 0; i < 3; i++) {
        rig.step(TaskRig.INTERVAL);
      }
      rig.settle();
      assertThat(w.stats().running()).isEqualTo(3);
      assertThat(w.stats().claimed()).isEqualTo(3);
      assertThat(rig.link.renewalBatches).isNotEmpty().allMatch(n -> n == 3);
      release.countDown();
      rig.until("all done", 60, () -> rig.queue.tasks(TaskState.DONE).size() == 5);
      assertThat(max.get()).isEqualTo(3);
    }
  }

  @Test
  void itTakesNoTasksWhileItsOwnBeatsFail() {
    try (TaskRig rig = new TaskRig()) {
      rig.link.beatsFail = true;
      rig.queue.submit(TaskSpec.of("t1", "p"));
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> TaskResult.done());
      for (int i = 0; i < 20; i++) {
        rig.step(Duration.ofSeconds(1));
      }
      rig.settle();
      assertThat(w.stats().claimed()).isZero();
      assertThat(rig.is("t1", TaskState.INBOX)).isTrue();
      rig.link.beatsFail = false;
      rig.until("t1 done once beats succeed", 120, () -> rig.is("t1", TaskState.DONE));
    }
  }

  @Test
  void progressIsWrittenToTheTaskAndRidesTheAgentsBeat() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p"));
      CountDownLatch release = new CountDownLatch(1);
      rig.worker("w1", 1, ctx -> {
        ctx.progress("3/10", "{\"at\":3}");
        release.await();
        return TaskResult.done();
      });
      rig.until("progress on the task", 30,
          () -> rig.task("t1").progress().equals(Optional.of("3/10")));
      assertThat(rig.task("t1").checkpoint()).contains("{\"at\":3}");
      rig.until("progress on the agent's beat", 30, () -> rig.memory.agent("w1")
          .map(h -> h.taskId().equals(Optional.of("t1"))
              && h.progress().equals(Optional.of("3/10"))).orElse(false));
      release.countDown();
      rig.until("done", 30, () -> rig.is("t1", TaskState.DONE));
    }
  }

  @Test
  void aClaimItCannotRenewInTimeIsFencedByTheWorkerBeforeTheStoreExpiresIt() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p"));
      AtomicReference<AttemptOutcome> why = new AtomicReference<>();
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> waitForStop(ctx, why));
      rig.until("running", 30, () -> w.stats().running() == 1);
      rig.link.renewalsFail = true;
      TaskView running = rig.task("t1");
      rig.until("self-fenced", 30, () -> w.stats().selfFenced() == 1);
      // interrupted before the store's claim expired
      assertThat(rig.time.instant()).isBefore(running.claimExpiresAt().orElseThrow());
      Await.until("the handler heard why", () -> why.get() != null);
      assertThat(why.get()).isEqualTo(AttemptOutcome.FENCED_OUT);
      rig.settle();
      assertThat(rig.task("t1").state()).isEqualTo(TaskState.IN_PROGRESS); // nothing written
    }
  }

  @Test
  void anAttemptPastItsTimeoutIsInterruptedAndEndsTimedOut() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p").attemptTimeout(Duration.ofSeconds(5))
          .progressTimeout(Duration.ofMinutes(5)));
      AtomicReference<AttemptOutcome> why = new AtomicReference<>();
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> waitForStop(ctx, why));
      rig.until("timed out", 30, () -> w.stats().timedOut() == 1);
      assertThat(why.get()).isEqualTo(AttemptOutcome.TIMED_OUT);
      TaskView t = rig.task("t1");
      assertThat(t.attempts().getFirst().outcome()).contains(AttemptOutcome.TIMED_OUT);
      assertThat(t.failures()).isEqualTo(1);
    }
  }

  @Test
  void anAttemptWithoutProgressForItsProgressTimeoutEndsStalled() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p").progressTimeout(Duration.ofSeconds(4)));
      AtomicReference<AttemptOutcome> why = new AtomicReference<>();
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> waitForStop(ctx, why));
      rig.until("stalled", 30, () -> w.stats().stalled() == 1);
      assertThat(why.get()).isEqualTo(AttemptOutcome.STALLED);
      assertThat(rig.task("t1").attempts().getFirst().outcome())
          .contains(AttemptOutcome.STALLED);
    }
  }

  @Test
  void aCancelRequestedOnTheRenewalAnswerInterruptsAndCancelsTheTask() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p"));
      AtomicReference<AttemptOutcome> why = new AtomicReference<>();
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> waitForStop(ctx, why));
      rig.until("running", 30, () -> w.stats().running() == 1);
      rig.settle();
      assertThat(rig.queue.cancel("t1")).isPresent();
      rig.until("cancelled", 30, () -> rig.is("t1", TaskState.CANCELLED));
      assertThat(why.get()).isEqualTo(AttemptOutcome.CANCELLED);
      Await.until("counted cancelled", () -> w.stats().cancelled() == 1);
      assertThat(last(rig.task("t1")).outcome()).contains(AttemptOutcome.CANCELLED);
    }
  }

  @Test
  void aLostRenewalFencesTheAttemptOutAndLeavesTheTaskAlone() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p"));
      AtomicReference<AttemptOutcome> why = new AtomicReference<>();
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> waitForStop(ctx, why));
      rig.until("running", 30, () -> w.stats().running() == 1);
      TaskView before = rig.task("t1");
      rig.link.renewalsLost = true;
      rig.until("fenced out", 30, () -> w.stats().fencedOut() == 1);
      Await.until("the handler heard why", () -> why.get() != null);
      assertThat(why.get()).isEqualTo(AttemptOutcome.FENCED_OUT);
      rig.settle();
      TaskView after = rig.task("t1");
      assertThat(after.state()).isEqualTo(TaskState.IN_PROGRESS);
      assertThat(after.token()).isEqualTo(before.token());
      assertThat(after.attempts()).hasSize(1);
      assertThat(w.stats().selfFenced()).isZero();
    }
  }

  @Test
  void aRefusedEndIsCountedFencedOut() {
    try (TaskRig rig = new TaskRig()) {
      rig.link.endsRefused = true;
      rig.queue.submit(TaskSpec.of("t1", "p"));
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> TaskResult.done());
      rig.until("fenced out", 30, () -> w.stats().fencedOut() == 1);
      assertThat(w.stats().done()).isZero();
      assertThat(rig.task("t1").state()).isEqualTo(TaskState.IN_PROGRESS);
    }
  }

  @Test
  void aThrowingHandlerFailsWithItsErrorThenRetriesWithBackoffThenBlocks() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p").retryDelay(Duration.ofSeconds(10),
          Duration.ofSeconds(60)));
      String longMessage = "x".repeat(5000);
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> {
        throw new IllegalStateException("boom " + ctx.attempt() + "\n" + longMessage);
      });
      rig.until("first failure", 30, () -> w.stats().failed() == 1);
      TaskView t = rig.task("t1");
      assertThat(t.state()).isEqualTo(TaskState.INBOX);
      assertThat(t.failures()).isEqualTo(1);
      assertThat(t.dueAt()).isAfterOrEqualTo(rig.time.instant().plusSeconds(9));
      Attempt a = t.attempts().getFirst();
      assertThat(a.outcome()).contains(AttemptOutcome.FAILED);
      assertThat(a.errorClass()).contains(IllegalStateException.class.getName());
      assertThat(a.message().orElseThrow()).startsWith("java.lang.IllegalStateException: boom 1");
      assertThat(a.stackTrace().orElseThrow()).hasSizeLessThanOrEqualTo(Attempt.MAX_STACK_LENGTH)
          .contains("IllegalStateException");
      rig.until("blocked", 400, () -> rig.is("t1", TaskState.BLOCKED));
      Await.until("counted 3 failures", () -> w.stats().failed() == 3);
      assertThat(rig.task("t1").reason().orElseThrow())
          .startsWith("failed 3 attempts: java.lang.IllegalStateException: boom 3");
    }
  }

  @Test
  void aClaimIsKeptAliveWhileItsEndIsOnItsWay() throws Exception {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p"));
      CountDownLatch endHangs = new CountDownLatch(1);
      rig.link.endsHang = endHangs;
      CountDownLatch go = new CountDownLatch(1);
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> {
        go.await();
        return TaskResult.done();
      });
      rig.until("running", 30, () -> w.stats().running() == 1);
      go.countDown();
      Await.until("the end on its way", () -> rig.hb.ticker().storeCallsRunning() == 1);
      for (int s = 0; s < 9; s++) { // past the claim's ttl (6 s), within the call timeout (10 s)
        rig.settle(1);
        rig.time.advance(Duration.ofSeconds(1));
      }
      rig.settle(1);
      endHangs.countDown();
      rig.until("done", 5, () -> rig.is("t1", TaskState.DONE));
      Await.until("counted done", () -> w.stats().done() == 1);
      assertThat(w.stats().fencedOut()).isZero();
      assertThat(rig.task("t1").attempts()).hasSize(1);
    }
  }

  @Test
  void aCheckpointSavedJustBeforeAThrowReachesTheNextAttempt() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p").retryDelay(Duration.ofSeconds(1),
          Duration.ofSeconds(1)));
      AtomicReference<Optional<String>> seen = new AtomicReference<>();
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> {
        if (ctx.attempt() == 2) {
          seen.set(ctx.checkpoint());
          return TaskResult.done();
        }
        ctx.progress("page 3", "{\"page\":3}"); // not yet sent by the worker's loop
        throw new IllegalStateException("the disk filled up");
      });
      rig.until("done", 30, () -> rig.is("t1", TaskState.DONE));
      assertThat(seen.get()).contains("{\"page\":3}");
      assertThat(rig.task("t1").attempts().getFirst().outcome()).contains(AttemptOutcome.FAILED);
    }
  }

  @Test
  void aSlotFreedWhileAClaimIsOnItsWayIsFilledAtOnceNotAtTheNextPoll() throws Exception {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("a", "p"));
      CountDownLatch goA = new CountDownLatch(1);
      TaskWorkerImpl w = rig.worker("w1", 2, ctx -> {
        if (ctx.taskId().equals("a")) {
          goA.await();
        }
        return TaskResult.done();
      });
      rig.until("a running", 30, () -> w.stats().running() == 1);
      CountDownLatch held = new CountDownLatch(1);
      rig.link.claimsHang = held; // the next claim finds nothing due, and answers late
      rig.step(Duration.ofSeconds(1));
      Await.until("a claim on its way", () -> rig.link.claimsHeld.get() == 1);
      rig.queue.submit(TaskSpec.of("b", "p"));
      goA.countDown(); // a ends while the claim is on its way: a slot is free
      Await.until("a done", () -> w.stats().done() == 1);
      Await.until("the loop waits", () -> rig.time.isParked(w.loopThread()));
      rig.link.claimsHang = null;
      held.countDown();
      // no clock move: the freed slot is filled as soon as the claim on its way returned
      Await.until("b claimed at once", () -> w.stats().claimed() == 2);
    }
  }

  @Test
  void aSlotFreedWhileAClaimIsOnItsWaySendsASecondClaimAtOnce() throws Exception {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("a", "p"));
      rig.queue.submit(TaskSpec.of("b", "p"));
      CountDownLatch goA = new CountDownLatch(1);
      CountDownLatch goB = new CountDownLatch(1);
      TaskWorkerImpl w = rig.worker("w1", 2, ctx -> {
        (ctx.taskId().equals("a") ? goA : ctx.taskId().equals("b") ? goB
            : new CountDownLatch(0)).await();
        return TaskResult.done();
      });
      Await.until("a and b running", () -> w.stats().running() == 2);
      rig.queue.submit(TaskSpec.of("c", "p"));
      rig.queue.submit(TaskSpec.of("d", "p"));
      CountDownLatch held = new CountDownLatch(1);
      rig.link.claimsHang = held; // claims are made, their answers held
      goA.countDown();
      Await.until("a claim on its way for a's slot", () -> rig.link.claimsHeld.get() == 1);
      goB.countDown();
      Await.until("a second claim on its way for b's slot",
          () -> rig.link.claimsHeld.get() == 2);
      rig.link.claimsHang = null;
      held.countDown();
      Await.until("all four done", () -> w.stats().done() == 4);
      assertThat(w.stats().claimed()).isEqualTo(4);
    }
  }

  @Test
  void aBlockedResultBlocksTheTaskWithItsReason() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p"));
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> TaskResult.blocked("needs a human"));
      rig.until("blocked", 30, () -> rig.is("t1", TaskState.BLOCKED));
      assertThat(rig.task("t1").reason()).contains("needs a human");
      Await.until("counted blocked", () -> w.stats().blocked() == 1);
    }
  }

  @Test
  void closeWaitsForRunningAttemptsThenReleasesTheRestAsNoFailure() throws Exception {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("fast", "p"));
      rig.queue.submit(TaskSpec.of("slow", "p"));
      CountDownLatch fastGo = new CountDownLatch(1);
      AtomicReference<AttemptOutcome> why = new AtomicReference<>();
      TaskWorkerImpl w = rig.worker("w1", 2, Duration.ofSeconds(10), ctx -> {
        if (ctx.taskId().equals("fast")) {
          fastGo.await();
          return TaskResult.done();
        }
        return waitForStop(ctx, why);
      });
      rig.until("both running", 30, () -> w.stats().running() == 2);
      rig.settle();
      Thread closer = Thread.ofVirtual().start(w::close);
      Await.until("close drains", () -> rig.time.isParked(closer));
      fastGo.countDown();
      Await.until("fast done while draining", () -> w.stats().done() == 1);
      assertThat(w.stats().released()).isZero();
      for (int s = 0; s < 10 && closer.isAlive(); s++) { // the claim is renewed while it drains
        rig.step(Duration.ofSeconds(1));
      }
      closer.join(Duration.ofSeconds(20));
      assertThat(closer.isAlive()).isFalse();
      assertThat(why.get()).isEqualTo(AttemptOutcome.RELEASED);
      TaskView slow = rig.task("slow");
      assertThat(slow.state()).isEqualTo(TaskState.INBOX);
      assertThat(slow.failures()).isZero();
      assertThat(slow.dueAt()).isBeforeOrEqualTo(rig.time.instant());
      assertThat(last(slow).outcome()).contains(AttemptOutcome.RELEASED);
      assertThat(w.stats().released()).isEqualTo(1);
      assertThat(rig.task("fast").state()).isEqualTo(TaskState.DONE);
    }
  }

  @Test
  void aHangingProgressWriteHoldsBackTheNextOneOfItsAttempt() throws Exception {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "p"));
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger reported = new AtomicInteger();
      TaskWorkerImpl w = rig.worker("w1", 1, ctx -> {
        while (release.getCount() > 0) {
          ctx.progress("step " + reported.incrementAndGet());
          Thread.sleep(1);
        }
        return TaskResult.done();
      });
      rig.until("running", 30, () -> w.stats().running() == 1);
      CountDownLatch hang = new CountDownLatch(1);
      rig.link.progressHangs = hang;
      int before = rig.link.progressCalls.get();
      rig.step(TaskRig.INTERVAL);
      Await.until("one progress write hangs", () -> rig.link.progressCalls.get() == before + 1);
      for (int s = 0; s < 5; s++) { // five more intervals: no second write of this attempt
        Await.until("only the hung write runs", () -> w.idle()
            && rig.time.isParked(w.loopThread()) && rig.hb.ticker().storeCallsRunning() == 1);
        rig.time.advance(TaskRig.INTERVAL);
      }
      Await.until("only the hung write runs", () -> w.idle()
          && rig.hb.ticker().storeCallsRunning() == 1);
      assertThat(rig.link.progressCalls.get()).isEqualTo(before + 1);
      rig.link.progressHangs = null;
      hang.countDown();
      release.countDown();
      rig.until("done", 30, () -> rig.is("t1", TaskState.DONE));
    }
  }
}
