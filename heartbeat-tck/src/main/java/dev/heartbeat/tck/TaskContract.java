package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The task part of the contract ({@link TaskStore}): idempotent submission, atomic claims with
 * growing tokens, expiry of claims by the store's clock, poison tasks, fencing of every write
 * after a claim, listing, counting, pruning, bounds and argument checks, and a race of eight
 * claiming threads; with the ends of an attempt, cancel and retry of {@link TaskEndsContract}. The store's {@code tasks()} must be
 * present.
 */
public abstract class TaskContract extends TaskEndsContract {
  /** For subclasses: a store's test class extends it. */
  protected TaskContract() {}

  @Test
  void submitIsIdempotentById() {
    TaskStore store = openTasks();
    TaskView first = store.submit(Q, TaskSpec.of("t1", "{\"n\":1}"));
    assertThat(first.state()).isEqualTo(TaskState.INBOX);
    assertThat(first.token()).isZero();
    assertThat(first.worker()).isEmpty();
    assertThat(first.attempts()).isEmpty();
    assertThat(first.dueAt()).isEqualTo(first.createdAt());
    time.advance(Duration.ofSeconds(1));
    TaskView again = store.submit(Q, TaskSpec.of("t1", "{\"n\":2}").maxAttempts(7));
    assertThat(again).isEqualTo(first);
    assertThat(store.counts(Q).total()).isEqualTo(1);
    assertThat(store.read(Q, "t1")).contains(first);
    assertThat(store.read("other", "t1")).as("queues are apart").isEmpty();
  }

  @Test
  void aClaimTakesTheTaskWithAGreaterTokenAndStartsAnAttempt() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    TaskClaim claim = claimOne(store, "w1");
    TaskView task = claim.task();
    assertThat(task.state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(task.token()).isPositive();
    assertThat(task.worker()).contains("w1");
    assertThat(claim.claim()).isEqualTo(new ClaimRef(Q, "t1", "w1", task.token()));
    Attempt attempt = task.attempts().getLast();
    assertThat(attempt.number()).isEqualTo(1);
    assertThat(attempt.isRunning()).isTrue();
    assertThat(attempt.worker()).isEqualTo("w1");
    assertThat(attempt.incarnation()).isEqualTo("w1-1");
    assertThat(attempt.token()).isEqualTo(task.token());
    assertThat(Duration.between(attempt.startedAt(), task.claimExpiresAt().orElseThrow()))
        .isEqualTo(TTL);
    assertThat(read(store, "t1")).isEqualTo(task);
    assertThat(store.claim(Q, "w2", "w2-1", 5, TTL)).as("a live claim is not taken").isEmpty();
    assertThat(store.claim(Q, "w1", "w1-1", 5, TTL)).as("nor taken twice").isEmpty();

    assertThat(store.end(claim.claim(), TaskEnds.released())).isTrue();
    TaskClaim next = claimOne(store, "w2");
    assertThat(next.task().token()).isGreaterThan(task.token());
    assertThat(next.task().attempts()).extracting(Attempt::number).containsExactly(1, 2);
  }

  @Test
  void claimsTakeAtMostMaxOldestDueFirst() {
    TaskStore store = openTasks();
    for (String id : List.of("c", "a", "b")) {
      store.submit(Q, TaskSpec.of(id, ""));
      time.advance(Duration.ofSeconds(1));
    }
    List<TaskClaim> claims = store.claim(Q, "w1", "w1-1", 2, TTL);
    assertThat(claims).extracting(c -> c.task().id()).containsExactly("c", "a");
    assertThat(store.claim(Q, "w2", "w2-1", 5, TTL)).extracting(c -> c.task().id())
        .containsExactly("b");
    assertThat(store.claim("empty", "w2", "w2-1", 5, TTL)).isEmpty();
  }

  @Test
  void tokensGrowAcrossPruneAndResubmission() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    TaskClaim first = claimOne(store, "w1");
    assertThat(store.end(first.claim(), TaskEnds.released())).isTrue();
    TaskClaim second = claimOne(store, "w1");
    assertThat(store.end(second.claim(), TaskEnds.done("ok"))).isTrue();
    time.advance(Duration.ofSeconds(5));
    assertThat(store.prune(Q, storeNow(), 10)).isEqualTo(1);
    assertThat(store.read(Q, "t1")).isEmpty();

    store.submit(Q, TaskSpec.of("t1", "again"));
    TaskClaim third = claimOne(store, "w2");
    assertThat(third.task().token()).isGreaterThan(second.task().token());
    assertThat(third.task().attempts()).extracting(Attempt::number).containsExactly(1);
  }

  @Test
  void pruneDeletesOnlyFinalTasksUpdatedBeforeTheInstantAtMostLimit() {
    TaskStore store = openTasks();
    for (String id : List.of("a", "b", "c", "d")) {
      store.submit(Q, TaskSpec.of(id, ""));
    }
    assertThat(store.cancel(Q, "a")).isPresent();
    assertThat(store.cancel(Q, "b")).isPresent();
    time.advance(Duration.ofSeconds(1));
    Instant cut = storeNow();
    time.advance(Duration.ofSeconds(1));
    assertThat(store.cancel(Q, "c")).isPresent();
    assertThat(store.prune(Q, cut, 1)).isEqualTo(1);
    assertThat(store.prune(Q, cut, 10)).isEqualTo(1);
    assertThat(store.prune(Q, cut, 10)).isZero();
    assertThat(store.list(Q, TaskState.CANCELLED, 10)).extracting(TaskView::id)
        .containsExactly("c");
    assertThat(store.list(Q, TaskState.INBOX, 10)).extracting(TaskView::id).containsExactly("d");
  }

  @Test
  void anExpiredClaimIsClaimableAgainAndItsAttemptRecordedAsWorkerLost() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    TaskClaim first = claimOne(store, "w1");
    time.advance(TTL.minusSeconds(1));
    assertThat(store.claim(Q, "w2", "w2-1", 1, TTL)).isEmpty();
    time.advance(Duration.ofSeconds(1));
    TaskView expired = read(store, "t1");
    assertThat(expired.claimExpiredAt(storeNow())).isTrue();

    TaskClaim second = claimOne(store, "w2");
    TaskView task = second.task();
    assertThat(task.token()).isGreaterThan(first.task().token());
    assertThat(task.worker()).contains("w2");
    assertThat(task.lost()).isEqualTo(1);
    assertThat(task.failures()).as("a lost worker is no failure").isZero();
    Attempt lost = task.attempts().getFirst();
    assertThat(lost.outcome()).contains(AttemptOutcome.WORKER_LOST);
    assertThat(lost.endedAt()).isPresent();
    assertThat(lost.token()).isEqualTo(first.task().token());
    assertThat(task.attempts().getLast().isRunning()).isTrue();
    assertThat(task.attempts()).hasSize(2);
  }

  @Test
  void aTaskWhoseWorkersAreLostMaxLostTimesIsBlockedAsPoison() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", "").maxLost(2));
    claimOne(store, "w1");
    time.advance(TTL);
    claimOne(store, "w2");
    time.advance(TTL);
    assertThat(store.claim(Q, "w3", "w3-1", 1, TTL)).isEmpty();
    TaskView task = read(store, "t1");
    assertThat(task.state()).isEqualTo(TaskState.BLOCKED);
    assertThat(task.reason()).hasValueSatisfying(r -> assertThat(r).contains("poison"));
    assertThat(task.lost()).isEqualTo(2);
    assertThat(task.worker()).isEmpty();
    assertThat(task.attempts()).extracting(a -> a.outcome().orElseThrow())
        .containsExactly(AttemptOutcome.WORKER_LOST, AttemptOutcome.WORKER_LOST);
  }

  @Test
  void writesOfAFencedOutClaimAreRefusedAndLeaveTheTaskUntouched() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    ClaimRef old = claimOne(store, "w1").claim();
    time.advance(TTL);
    TaskView expired = read(store, "t1");
    assertRefused(store, old, expired, "an expired claim");

    ClaimRef current = claimOne(store, "w2").claim();
    TaskView taken = read(store, "t1");
    assertRefused(store, old, taken, "a claim taken over");
    assertRefused(store, new ClaimRef(Q, "t1", "w1", current.token()), taken, "another worker");
    assertRefused(store, new ClaimRef(Q, "t1", "w2", current.token() + 1), taken,
        "a token not issued");
    assertRefused(store, new ClaimRef(Q, "t2", "w2", current.token()), taken, "another task");

    assertThat(store.end(current, TaskEnds.done("ok"))).isTrue();
    TaskView done = read(store, "t1");
    assertRefused(store, current, done, "a claim whose attempt ended");
  }

  private static void assertRefused(TaskStore store, ClaimRef claim, TaskView before,
      String what) {
    assertThat(store.progress(claim, "late", Optional.of("cp"))).as("progress of %s", what)
        .isFalse();
    assertThat(store.end(claim, TaskEnds.done("late"))).as("end of %s", what).isFalse();
    assertThat(store.end(claim, TaskEnds.failed(Duration.ZERO))).as("end of %s", what).isFalse();
    assertThat(store.renewClaims(List.of(new ClaimRenewal(claim, TTL))))
        .as("renewal of %s", what).containsExactly(ClaimAnswer.LOST);
    assertThat(read(store, before.id())).as("the task after writes of %s", what)
        .isEqualTo(before);
  }

  @Test
  void listIsByStateOldestFirstThenByIdAtMostLimit() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("z", ""));
    time.advance(Duration.ofSeconds(1));
    for (String id : List.of("c", "a", "b")) {
      store.submit(Q, TaskSpec.of(id, ""));
    }
    store.cancel(Q, "b");
    List<TaskView> inbox = store.list(Q, TaskState.INBOX, 10);
    assertThat(inbox).extracting(TaskView::id).containsExactlyInAnyOrder("z", "a", "c");
    assertThat(inbox.getFirst().id()).isEqualTo("z");
    assertThat(inbox).isSortedAccordingTo(Comparator.comparing(TaskView::createdAt)
        .thenComparing(TaskView::id));
    assertThat(store.list(Q, TaskState.INBOX, 2)).isEqualTo(inbox.subList(0, 2));
    assertThat(store.list(Q, TaskState.CANCELLED, 10)).extracting(TaskView::id)
        .containsExactly("b");
    assertThat(store.list(Q, TaskState.DONE, 10)).isEmpty();
    assertThat(store.list("empty", TaskState.INBOX, 10)).isEmpty();
  }

  @Test
  void countsCountEveryStateOfTheQueue() {
    TaskStore store = openTasks();
    for (String id : List.of("a", "b", "c", "d", "e")) {
      store.submit(Q, TaskSpec.of(id, ""));
    }
    store.submit("other", TaskSpec.of("a", ""));
    store.cancel(Q, "a");
    List<TaskClaim> claims = store.claim(Q, "w1", "w1-1", 3, TTL);
    store.end(claims.get(0).claim(), TaskEnds.done("ok"));
    store.end(claims.get(1).claim(), TaskEnds.blocked("no"));
    TaskCounts counts = store.counts(Q);
    assertThat(counts.of(TaskState.INBOX)).isEqualTo(1);
    assertThat(counts.of(TaskState.IN_PROGRESS)).isEqualTo(1);
    assertThat(counts.of(TaskState.DONE)).isEqualTo(1);
    assertThat(counts.of(TaskState.BLOCKED)).isEqualTo(1);
    assertThat(counts.of(TaskState.CANCELLED)).isEqualTo(1);
    assertThat(counts.total()).isEqualTo(5);
    assertThat(store.counts("empty").total()).isZero();
  }

  @Test
  void aTaskKeepsAtMostMaxAttemptsKeptAttemptsNewestLast() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    int total = TaskView.MAX_ATTEMPTS_KEPT + 5;
    for (int i = 0; i < total; i++) {
      assertThat(store.end(claimOne(store, "w1").claim(), TaskEnds.released())).isTrue();
    }
    List<Attempt> attempts = read(store, "t1").attempts();
    assertThat(attempts).hasSize(TaskView.MAX_ATTEMPTS_KEPT);
    assertThat(attempts.getFirst().number()).isEqualTo(6);
    assertThat(attempts.getLast().number()).isEqualTo(total);
  }

  @Test
  void badArgumentsAreRefusedNamingTheParameterAndTheValue() {
    TaskStore store = openTasks();
    store.submit(Q, TaskSpec.of("t1", ""));
    assertBad(() -> store.submit(" ", TaskSpec.of("t", "")), "queue");
    assertBad(() -> store.submit(Q, null), "spec");
    assertBad(() -> store.claim(Q, "w1", "i1", 0, TTL), "max", "0");
    assertBad(() -> store.claim(Q, "w1", "i1", 1, Duration.ZERO), "ttl", "0");
    assertBad(() -> store.claim(Q, "", "i1", 1, TTL), "worker");
    assertBad(() -> store.claim(Q, "w1", "bad\u0001inc", 1, TTL), "incarnation");
    assertBad(() -> store.list(Q, TaskState.INBOX, 0), "limit", "0");
    assertBad(() -> store.list(Q, null, 5), "state");
    assertBad(() -> store.prune(Q, storeNow(), -3), "limit", "-3");
    assertBad(() -> store.read(Q, " "), "id");
    assertBad(() -> store.cancel("", "t1"), "queue");
    ClaimRef claim = claimOne(store, "w1").claim();
    assertBad(() -> store.progress(claim, "p", Optional.of("x".repeat(
        TaskSpec.MAX_PAYLOAD_LENGTH + 1))), "checkpoint", String.valueOf(
        TaskSpec.MAX_PAYLOAD_LENGTH));
    assertBad(() -> store.progress(claim, "x".repeat(5000), Optional.empty()), "progress");
    assertBad(() -> store.end(claim, null), "end");
    assertThat(read(store, "t1").progress()).as("nothing written").isEmpty();
  }

  private static void assertBad(Runnable call, String... named) {
    assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> {
          for (String part : named) {
            assertThat(e.getMessage()).contains(part);
          }
        });
  }

  @Test
  void eightThreadsClaimingOneQueueNeverGetOneTaskTwice() throws Exception {
    TaskStore store = openTasks();
    int tasks = 200;
    for (int i = 0; i < tasks; i++) {
      store.submit(Q, TaskSpec.of("t" + i, ""));
    }
    int threads = 8;
    Set<String> claimed = ConcurrentHashMap.newKeySet();
    AtomicInteger twice = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String worker = "w" + t;
        running.add(pool.submit(() -> {
          start.await();
          for (int round = 0; round < tasks; round++) { // bounded: each round claims or stops
            List<TaskClaim> claims = store.claim(Q, worker, worker + "-1", 3, TTL);
            if (claims.isEmpty()) {
              break;
            }
            for (TaskClaim claim : claims) {
              if (!claimed.add(claim.task().id())) {
                twice.incrementAndGet();
              }
              assertThat(store.end(claim.claim(), TaskEnds.done(worker))).isTrue();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(twice).hasValue(0);
    assertThat(claimed).hasSize(tasks);
    assertThat(store.counts(Q).of(TaskState.DONE)).isEqualTo(tasks);
  }
}
