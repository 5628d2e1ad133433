package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.ManualTime;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the task kit does not cover, on every real database. */
class EveryDatabaseTaskTest {
  private static final String Q = "jobs";
  private static final Duration TTL = Duration.ofSeconds(30);

  private static TaskStore tasks(JdbcStore store) {
    return store.tasks().orElseThrow();
  }

  private static void damage(JdbcStore store, String column, String value, String id) {
    int rows = store.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + store.tablePrefix() + "tasks SET "
          + column + " = ? WHERE queue_name = ? AND task_id = ?")) {
        ps.setString(1, value);
        ps.setString(2, Q);
        ps.setString(3, id);
        return ps.executeUpdate();
      }
    });
    assertThat(rows).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void anUnreadableTaskIsReportedAndSkippedByReadsListsAndClaims(JdbcHarness db) {
    try (JdbcStore store = db.fresh(10)) {
      TaskStore tasks = tasks(store);
      for (String id : List.of("bad", "odd", "good")) {
        tasks.submit(Q, TaskSpec.of(id, ""));
      }
      damage(store, "state", "EXPLODED", "bad");
      damage(store, "attempt_timeout", "half an hour", "odd");
      assertThat(tasks.read(Q, "bad")).isEmpty();
      assertThat(tasks.list(Q, TaskState.INBOX, 10)).extracting(TaskView::id)
          .containsExactly("good");
      assertThat(tasks.claim(Q, "w", "w-1", 5, TTL)).extracting(c -> c.task().id())
          .containsExactly("good");
      assertThat(store.problems()).extracting(p -> p.location()).containsExactlyInAnyOrder(
          store.tablePrefix() + "tasks/" + Q + "/bad", store.tablePrefix() + "tasks/" + Q + "/odd");
      assertThat(store.problems()).anySatisfy(p -> assertThat(p.problem()).contains("'EXPLODED'"))
          .anySatisfy(p -> assertThat(p.problem()).contains("'half an hour'"));
      assertThat(tasks.counts(Q).total()).as("an unknown state is counted nowhere").isEqualTo(2);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void eightClientsSubmittingOneIdAtOnceStoreOneTaskAndAllGetIt(JdbcHarness db)
      throws Exception {
    try (JdbcStore store = db.fresh(10)) {
      TaskStore tasks = tasks(store);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        for (int round = 0; round < 5; round++) {
          String id = "once-" + round;
          CountDownLatch start = new CountDownLatch(1);
          List<Future<TaskView>> results = new ArrayList<>();
          for (int t = 0; t < 8; t++) {
            String payload = "from " + t;
            results.add(pool.submit(() -> {
              start.await();
              return tasks.submit(Q, TaskSpec.of(id, payload));
            }));
          }
          start.countDown();
          List<TaskView> views = new ArrayList<>();
          for (Future<TaskView> f : results) {
            views.add(f.get(1, TimeUnit.MINUTES));
          }
          assertThat(views).as(id).allSatisfy(v -> assertThat(v).isEqualTo(views.getFirst()));
          assertThat(tasks.read(Q, id)).contains(views.getFirst());
        }
        assertThat(tasks.counts(Q).total()).isEqualTo(5);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void claimsExpireByTheDatabaseClockNotAClientClockMinutesOff(JdbcHarness db) {
    ManualTime time = new ManualTime(Instant.now().minus(Duration.ofMinutes(7)));
    try (JdbcStore store = db.fresh(10)) {
      store.clockOffset(time::elapsed);
      TaskStore tasks = tasks(store);
      Instant database = EveryDatabaseTest.rawDatabaseNow(store);
      TaskView task = tasks.submit(Q, TaskSpec.of("t", ""));
      assertThat(Duration.between(database, task.createdAt()).abs())
          .isLessThan(Duration.ofSeconds(5));
      TaskClaim claim = tasks.claim(Q, "w", "w-1", 1, TTL).getFirst();
      assertThat(claim.task().claimExpiresAt().orElseThrow())
          .isAfter(time.instant().plus(Duration.ofMinutes(6)));
      time.advance(TTL.minusSeconds(2));
      assertThat(tasks.claim(Q, "w2", "w2-1", 1, TTL)).isEmpty();
      assertThat(tasks.progress(claim.claim(), "half", Optional.empty())).isTrue();
      time.advance(Duration.ofSeconds(2));
      assertThat(tasks.progress(claim.claim(), "late", Optional.empty())).isFalse();
      assertThat(tasks.claim(Q, "w2", "w2-1", 1, TTL)).hasSize(1);
    }
  }

  /** More claims than one chunk of a renewal, and than one step of a prune. */
  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void renewalAndPruneOfManyTasksGoInBoundedChunks(JdbcHarness db) {
    int count = TaskTable.CHUNK + TaskSubmissions.STEP + 7;
    try (JdbcStore store = db.fresh(10)) {
      TaskStore tasks = tasks(store);
      for (int i = 0; i < count; i++) {
        tasks.submit(Q, TaskSpec.of("t" + i, ""));
      }
      List<TaskClaim> claims = tasks.claim(Q, "w", "w-1", count, TTL);
      assertThat(claims).hasSize(count);
      List<ClaimRenewal> renewals = new ArrayList<>();
      for (TaskClaim claim : claims) {
        renewals.add(new ClaimRenewal(claim.claim(), TTL.multipliedBy(2)));
      }
      List<ClaimAnswer> answers = tasks.renewClaims(renewals);
      assertThat(answers).hasSize(count).allMatch(ClaimAnswer::held);
      AttemptEnd done = new AttemptEnd(AttemptOutcome.DONE, Optional.empty(), Optional.empty(),
          Optional.empty(), TaskState.DONE, Duration.ZERO, Optional.empty());
      for (TaskClaim claim : claims) {
        assertThat(tasks.end(claim.claim(), done)).isTrue();
      }
      Instant later = store.now().plusSeconds(1);
      assertThat(tasks.prune(Q, later, count - 3)).isEqualTo(count - 3);
      assertThat(tasks.prune(Q, later, count)).isEqualTo(3);
      assertThat(tasks.counts(Q).total()).isZero();
      TaskView again = tasks.submit(Q, TaskSpec.of("t0", "again"));
      assertThat(again.token()).as("the pruned task's token is its floor")
          .isEqualTo(claims.getFirst().task().token());
    }
  }
}
