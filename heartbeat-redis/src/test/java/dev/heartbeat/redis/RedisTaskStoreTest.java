package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.StoreProblem;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.ManualTime;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the Redis task store does beyond the kit, on the Redis at 127.0.0.1:6379. */
class RedisTaskStoreTest {
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final String Q = "jobs";
  private final ManualTime time = new ManualTime();
  private RedisStore store;

  private TaskStore open(int maxTasks) {
    store = RedisHarness.INSTANCE.builder(time).pinnedClock(time::instant).maxTasks(maxTasks)
        .trustEmptyServer().build();
    return store.tasks().orElseThrow();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private String hset(String key, String field, String value) {
    Context ctx = store.context();
    ctx.link().await(ctx.link().commands().hset(key, field, value), "damage");
    return key;
  }

  private String taskKey(String queue, String id) {
    return store.context().keys().queue(queue) + ":t:" + id;
  }

  @Test
  void anUnreadableTaskIsReportedAndSkippedNeverFailingTheOthers() {
    TaskStore tasks = open(100);
    for (String id : List.of("a", "b", "c")) {
      tasks.submit(Q, TaskSpec.of(id, ""));
    }
    String bad = hset(taskKey(Q, "b"), "token", "garbage");
    assertThat(tasks.read(Q, "b")).isEmpty();
    assertThat(store.problems()).extracting(StoreProblem::location).containsExactly(bad);
    assertThat(tasks.list(Q, TaskState.INBOX, 10)).extracting(TaskView::id)
        .containsExactly("a", "c");
    assertThat(tasks.claim(Q, "w", "w-1", 5, TTL)).extracting(c -> c.task().id())
        .containsExactly("a", "c");
    assertThat(tasks.cancel(Q, "b")).isEmpty();
    assertThatThrownBy(() -> tasks.submit(Q, TaskSpec.of("b", "")))
        .isInstanceOf(HeartbeatStoreException.class).hasMessageContaining("cannot be read");

    assertThat(tasks.claim(Q, "w", "w-1", 5, TTL)).as("nothing else is claimable").isEmpty();
    hset(taskKey(Q, "a"), "a:1", "not an attempt");
    assertThat(tasks.read(Q, "a")).as("a bad attempt record").isEmpty();
    assertThat(store.problems()).hasSize(2);
  }

  @Test
  void everyChangeOfATaskIsInTheQueueEventStream() {
    TaskStore tasks = open(100);
    tasks.submit(Q, TaskSpec.of("t1", ""));
    tasks.submit(Q, TaskSpec.of("t2", ""));
    List<TaskClaim> claims = tasks.claim(Q, "w", "w-1", 2, TTL);
    tasks.end(claims.get(0).claim(), end(AttemptOutcome.FAILED, TaskState.INBOX, null));
    tasks.cancel(Q, "t2");
    tasks.end(claims.get(1).claim(), end(AttemptOutcome.CANCELLED, TaskState.CANCELLED, "asked"));
    TaskClaim again = tasks.claim(Q, "w", "w-1", 1, TTL).getFirst();
    tasks.end(again.claim(), end(AttemptOutcome.BLOCKED, TaskState.BLOCKED, "bad input"));
    tasks.retry(Q, "t1");
    tasks.end(tasks.claim(Q, "w", "w-1", 1, TTL).getFirst().claim(),
        end(AttemptOutcome.DONE, TaskState.DONE, "42"));

    Context ctx = store.context();
    List<StreamMessage<String, String>> events = ctx.link().await(ctx.link().commands()
        .xrange(ctx.keys().queue(Q) + ":events", Range.create("-", "+")), "test");
    assertThat(events).extracting(e -> e.getBody().get("event") + " " + e.getBody().get("task"))
        .containsExactly("submitted t1", "submitted t2", "claimed t1", "claimed t2", "failed t1",
            "cancel_requested t2", "cancelled t2", "claimed t1", "blocked t1", "retried t1",
            "claimed t1", "done t1");
    assertThat(events.get(2).getBody()).containsEntry("token",
        Long.toString(claims.get(0).claim().token())).containsEntry("worker", "w");
  }

  @Test
  void tokensStartFromTheStoreTimeInMicrosecondsAndClaimTtlsAreBoundedByMaxLeaseTtl() {
    TaskStore tasks = open(100);
    tasks.submit(Q, TaskSpec.of("t1", ""));
    java.time.Instant now = store.now();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    TaskClaim first = tasks.claim(Q, "w", "w-1", 1, TTL).getFirst();
    assertThat(first.claim().token()).as("seeded from the clock").isEqualTo(micros);
    tasks.end(first.claim(), end(AttemptOutcome.RELEASED, TaskState.INBOX, null));
    assertThat(tasks.claim(Q, "w", "w-1", 1, TTL).getFirst().claim().token())
        .as("within one microsecond: the last plus one").isEqualTo(micros + 1);
    Duration tooLong = Duration.ofMinutes(11); // the harness's maxLeaseTtl is 10 minutes
    assertThatThrownBy(() -> tasks.claim(Q, "w", "w-1", 1, tooLong))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl")
        .hasMessageContaining("maxLeaseTtl").hasMessageContaining("PT11M");
    assertThatThrownBy(() -> tasks.renewClaims(List.of(new ClaimRenewal(first.claim(),
        tooLong)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT11M");
  }

  @Test
  void theEventStreamIsTrimmedToAboutItsLength() {
    store = RedisHarness.INSTANCE.builder(time).pinnedClock(time::instant).taskEvents(10)
        .trustEmptyServer().build();
    TaskStore tasks = store.tasks().orElseThrow();
    for (int i = 0; i < 500; i++) {
      tasks.submit(Q, TaskSpec.of("t" + i, ""));
    }
    Context ctx = store.context();
    long length = ctx.link().await(ctx.link().commands().xlen(ctx.keys().queue(Q) + ":events"),
        "test");
    assertThat(length).as("MAXLEN ~ 10 trims whole nodes of 100 entries").isBetween(10L, 200L);
  }

  @Test
  void aFullQueueRefusesNewTasksUntilPruned() {
    TaskStore tasks = open(3);
    for (String id : List.of("a", "b", "c")) {
      tasks.submit(Q, TaskSpec.of(id, ""));
    }
    assertThat(tasks.submit(Q, TaskSpec.of("a", "")).id()).as("a known id is fine")
        .isEqualTo("a");
    assertThatThrownBy(() -> tasks.submit(Q, TaskSpec.of("d", "")))
        .isInstanceOf(HeartbeatStoreException.class)
        .hasMessageContaining("queue 'jobs' holds 3 tasks").hasMessageContaining("'d'");
    tasks.submit("other", TaskSpec.of("d", ""));
    tasks.cancel(Q, "a");
    time.advance(Duration.ofSeconds(1));
    assertThat(tasks.prune(Q, store.now(), 10)).isEqualTo(1);
    assertThat(tasks.submit(Q, TaskSpec.of("d", "")).state()).isEqualTo(TaskState.INBOX);
  }

  @Test
  void reservedTokensBeyondTheBoundFoldIntoTheFloorSoTokensStillGrow() {
    TaskStore tasks = open(2);
    long a = runAndPrune(tasks, "a", 2);
    runAndPrune(tasks, "b", 1);
    runAndPrune(tasks, "c", 1); // a's reservation folds into the floor
    Context ctx = store.context();
    String fence = ctx.keys().queue(Q) + ":fence";
    assertThat(ctx.link().await(ctx.link().commands().hkeys(fence), "test"))
        .containsExactlyInAnyOrder("", "b", "c");
    TaskView resubmitted = tasks.submit(Q, TaskSpec.of("a", ""));
    assertThat(resubmitted.token()).as("from the floor").isGreaterThanOrEqualTo(a);
    assertThat(tasks.claim(Q, "w", "w-1", 1, TTL).getFirst().claim().token()).isGreaterThan(a);
  }

  /** Runs a task {@code attempts} times at one instant, ends it and prunes it: its last token. */
  private long runAndPrune(TaskStore tasks, String id, int attempts) {
    tasks.submit(Q, TaskSpec.of(id, ""));
    TaskClaim claim = tasks.claim(Q, "w", "w-1", 1, TTL).getFirst();
    for (int i = 1; i < attempts; i++) {
      tasks.end(claim.claim(), end(AttemptOutcome.RELEASED, TaskState.INBOX, null));
      claim = tasks.claim(Q, "w", "w-1", 1, TTL).getFirst();
    }
    tasks.end(claim.claim(), end(AttemptOutcome.DONE, TaskState.DONE, null));
    time.advance(Duration.ofSeconds(1));
    assertThat(tasks.prune(Q, store.now(), 10)).isEqualTo(1);
    return claim.claim().token();
  }

  @Test
  void aQueueNameWithBracesKeepsEveryKeyOfTheQueueInOneSlot() {
    TaskStore tasks = open(100);
    String queue = "a{b}c%7D";
    tasks.submit(queue, TaskSpec.of("t}1", ""));
    TaskClaim claim = tasks.claim(queue, "w", "w-1", 1, TTL).getFirst();
    assertThat(tasks.renewClaims(List.of(new ClaimRenewal(claim.claim(), TTL))).getFirst().held())
        .isTrue();
    Keys keys = store.context().keys();
    assertThat(keys.queue(queue)).isEqualTo("{" + keys.prefix() + ":tasks:a%7Bb%7Dc%257D}");
    assertThat(SlotHash.getSlot(taskKey(queue, "t}1")))
        .isEqualTo(SlotHash.getSlot(keys.queue(queue) + ":ready"));
    assertThat(tasks.read("a{b}c}", "t}1")).as("another queue").isEmpty();
  }

  @Test
  void aRestartOfTheServerStopsClaimsForTheQuarantineButNotRenewals() {
    TaskStore tasks = open(100);
    tasks.submit(Q, TaskSpec.of("held", ""));
    TaskClaim held = tasks.claim(Q, "w", "w-1", 1, TTL).getFirst();
    tasks.submit(Q, TaskSpec.of("waiting", ""));
    try (RedisStore guarded = RedisHarness.INSTANCE.builder(time).keyPrefix(
        store.context().keys().prefix()).pinnedClock(time::instant).maxLeaseTtl(TTL).build()) {
      TaskStore other = guarded.tasks().orElseThrow();
      hset(store.context().keys().queueEpoch(Q), "run", "another-server-process");
      assertThat(other.claim(Q, "v", "v-1", 1, TTL)).as("quarantined").isEmpty();
      ClaimAnswer renewed = other.renewClaims(List.of(new ClaimRenewal(held.claim(), TTL)))
          .getFirst();
      assertThat(renewed.held()).as("a claim that survived is renewed").isTrue();
      time.advance(TTL.minusSeconds(1));
      assertThat(other.claim(Q, "v", "v-1", 1, TTL)).isEmpty();
      time.advance(Duration.ofSeconds(1));
      assertThat(other.claim(Q, "v", "v-1", 1, TTL)).extracting(c -> c.task().id())
          .containsExactly("waiting");
    }
  }

  private static AttemptEnd end(AttemptOutcome outcome, TaskState next, String text) {
    return new AttemptEnd(outcome, Optional.empty(), Optional.empty(), Optional.empty(), next,
        Duration.ZERO, Optional.ofNullable(text));
  }
}
